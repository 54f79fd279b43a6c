import Foundation
import Testing

/// Two network namespaces joined by a veth pair, acting as two hosts on a private subnet, and
/// an `mpirun` launcher that starts each rank inside the namespace owning its address: Open
/// MPI's TCP transport then carries the job between two network stacks on this machine.
/// Nothing outside the namespaces is configured or contacted. Needs root (CAP_NET_ADMIN) and
/// iproute2; a failure to create them fails the test with `ip`'s message.
final class NetworkNamespaces {
    let names: [String]
    let addresses: [String]
    let subnet: String
    let agent: URL

    /// Creates the namespaces, the veth pair and the launcher script.
    init() throws {
        let tag = String(getpid() % 100_000)
        names = ["fathom-\(tag)-a", "fathom-\(tag)-b"]
        let octet = 64 + Int(getpid() % 128)
        subnet = "10.231.\(octet).0/24"
        addresses = ["10.231.\(octet).1", "10.231.\(octet).2"]
        agent = FileManager.default.temporaryDirectory.appendingPathComponent("fathom-netns-agent-\(tag).sh")
        let veth = ["fv\(tag)a", "fv\(tag)b"]
        for name in names { try Self.ip(["netns", "add", name]) }
        try Self.ip(["link", "add", veth[0], "type", "veth", "peer", "name", veth[1]])
        for i in 0..<2 {
            try Self.ip(["link", "set", veth[i], "netns", names[i]])
            try Self.ip(["-n", names[i], "addr", "add", "\(addresses[i])/24", "dev", veth[i]])
            try Self.ip(["-n", names[i], "link", "set", veth[i], "up"])
            try Self.ip(["-n", names[i], "link", "set", "lo", "up"])
        }
        // mpirun calls the agent as `AGENT HOST COMMAND...` to start its daemon on HOST.
        let script = """
            #!/bin/sh
            host="$1"; shift
            case "$host" in
              \(addresses[0])) ns=\(names[0]) ;;
              \(addresses[1])) ns=\(names[1]) ;;
              *) echo "fathom netns agent: unknown host $host" >&2; exit 1 ;;
            esac
            exec ip netns exec "$ns" /bin/sh -c "$*"

            """
        try script.write(to: agent, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: agent.path)
    }

    deinit {
        for name in names { try? Self.ip(["netns", "delete", name]) }  // deletes the veth pair too
        try? FileManager.default.removeItem(at: agent)
    }

    /// The command that runs `mpirun ARGUMENTS` from the first namespace with one rank per
    /// "host" over TCP on the veth subnet.
    func mpirunCommand(_ mpirun: URL) -> [String] {
        ["netns", "exec", names[0], mpirun.path, "--allow-run-as-root", "-np", "2", "--host", addresses.joined(separator: ","),
         "--mca", "plm_rsh_agent", agent.path, "--mca", "btl", "tcp,self",
         "--mca", "btl_tcp_if_include", subnet, "--mca", "oob_tcp_if_include", subnet, "-x", "FATHOM_THREADS"]
    }

    /// The network namespace of the calling process, e.g. `net:[4026531833]`.
    static var currentNamespace: String {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/ns/net")) ?? "?"
    }

    /// Runs `ip arguments`, throwing its message when it fails.
    static func ip(_ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/sbin/ip")
        process.arguments = arguments
        let errors = Pipe()
        process.standardError = errors
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            throw NetworkNamespaceError(command: "ip " + arguments.joined(separator: " "), message: message)
        }
    }
}

/// `ip` refused (usually: not root, or no CAP_NET_ADMIN in this container).
struct NetworkNamespaceError: Error, CustomStringConvertible {
    let command: String
    let message: String
    var description: String { "\(command) failed: \(message) (the network test needs root with CAP_NET_ADMIN and iproute2)" }
}
