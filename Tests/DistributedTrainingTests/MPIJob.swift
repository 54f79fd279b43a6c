import Foundation
import Testing

/// Runs one of the package's programs (`fathom-distributed-check`, `pneumonia`) under Open
/// MPI's `mpirun`, or alone, and collects what it printed.
///
/// The programs are built beside this test bundle (`swift build --build-tests` builds every
/// executable of the package). A missing `mpirun` or program fails the test with a message
/// naming what to install or build: a distributed test must never pass by not running.
struct MPIJob {
    /// The exit status, what the job printed on standard output and on standard error, and
    /// whether it had to be killed at the time limit.
    struct Outcome {
        var status: Int32
        var output: String
        var errors: String
        var timedOut: Bool
    }

    /// The build products directory: the directory of the running test bundle.
    static var productsDirectory: URL {
        URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
    }

    /// The package's program `name`, failing the test when it was not built.
    static func program(_ name: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> URL {
        let program = productsDirectory.appendingPathComponent(name)
        try #require(FileManager.default.isExecutableFile(atPath: program.path),
                     "\(program.path) is missing: build it with `swift build -c release --build-tests`",
                     sourceLocation: sourceLocation)
        return program
    }

    /// `mpirun` from PATH, failing the test when Open MPI is not installed.
    static func mpirun(sourceLocation: SourceLocation = #_sourceLocation) throws -> URL {
        let path = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin").split(separator: ":")
            .map { URL(fileURLWithPath: String($0)).appendingPathComponent("mpirun") }
            .first { FileManager.default.isExecutableFile(atPath: $0.path) }
        return try #require(path, "mpirun is not installed: apt-get install openmpi-bin libopenmpi-dev",
                            sourceLocation: sourceLocation)
    }

    /// The flags every test job uses: allowed as root (CI containers), more processes than
    /// cores allowed (three ranks on a two-core machine), no binding (the ranks share the cores).
    static let launchFlags = ["--allow-run-as-root", "--oversubscribe", "--bind-to", "none"]

    /// Runs `mpirun -np processes PROGRAM arguments`, killing it after `timeout` seconds;
    /// `whileRunning` is called with the `mpirun` process once it has started.
    static func run(processes: Int, program name: String = "fathom-distributed-check", _ arguments: [String],
                    timeout: Double = 60, whileRunning: ((Process) throws -> Void)? = nil,
                    sourceLocation: SourceLocation = #_sourceLocation) throws -> Outcome {
        let executable = try program(name, sourceLocation: sourceLocation)
        let launcher = try mpirun(sourceLocation: sourceLocation)
        return try launch(launcher, ["-np", "\(processes)"] + launchFlags + [executable.path] + arguments, timeout: timeout,
                          whileRunning: whileRunning)
    }

    /// Runs `PROGRAM arguments` alone, without mpirun (a group of one).
    static func runAlone(program name: String = "fathom-distributed-check", _ arguments: [String],
                         sourceLocation: SourceLocation = #_sourceLocation) throws -> Outcome {
        try launch(try program(name, sourceLocation: sourceLocation), arguments, timeout: 120, whileRunning: nil)
    }

    /// The process ids of the ranks that `mpirun` (process `launcher`) started, by rank, read
    /// from `/proc` (each rank's parent and its `OMPI_COMM_WORLD_RANK`).
    static func rankProcesses(of launcher: Process) -> [Int: pid_t] {
        var ranks: [Int: pid_t] = [:]
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        for entry in entries {
            guard let pid = pid_t(entry),
                  let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
                  status.split(separator: "\n").contains("PPid:\t\(launcher.processIdentifier)"),
                  let environment = FileManager.default.contents(atPath: "/proc/\(pid)/environ") else { continue }
            let prefix = "OMPI_COMM_WORLD_RANK="
            for variable in environment.split(separator: 0) {
                let text = String(decoding: variable, as: UTF8.self)
                if text.hasPrefix(prefix), let rank = Int(text.dropFirst(prefix.count)) { ranks[rank] = pid }
            }
        }
        return ranks
    }

    /// One job at a time: the suites run in parallel, and jobs competing for the two cores
    /// would make the time limits of the failure tests meaningless.
    private static let oneJobAtATime = NSLock()

    /// Runs `executable arguments` (one job at a time), killing it after `timeout` seconds.
    static func launch(_ executable: URL, _ arguments: [String], timeout: Double,
                       whileRunning: ((Process) throws -> Void)? = nil) throws -> Outcome {
        oneJobAtATime.lock()
        defer { oneJobAtATime.unlock() }
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        environment["FATHOM_THREADS"] = "1"  // two ranks on two cores
        process.environment = environment
        let output = Pipe(), errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        // Read both pipes while the job runs, so a chatty job cannot block on a full pipe.
        let collected = ReadBoth(output: output, errors: errors)
        do {
            try whileRunning?(process)
        } catch {
            kill(process.processIdentifier, SIGTERM)
            process.waitUntilExit()
            throw error
        }
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        let timedOut = process.isRunning
        if timedOut {
            // mpirun passes SIGTERM on to its ranks; SIGKILL if it does not end.
            kill(process.processIdentifier, SIGTERM)
            Thread.sleep(forTimeInterval: 5)
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        }
        process.waitUntilExit()
        let (out, err) = collected.wait()
        return Outcome(status: process.terminationStatus, output: out, errors: err, timedOut: timedOut)
    }
}

/// Drains two pipes on background threads.
private final class ReadBoth: @unchecked Sendable {
    private let group = DispatchGroup()
    private var output = Data(), errors = Data()

    init(output: Pipe, errors: Pipe) {
        group.enter()
        DispatchQueue.global().async { [self] in
            self.output = (try? output.fileHandleForReading.readToEnd()) ?? Data()
            group.leave()
        }
        group.enter()
        DispatchQueue.global().async { [self] in
            self.errors = (try? errors.fileHandleForReading.readToEnd()) ?? Data()
            group.leave()
        }
    }

    func wait() -> (String, String) {
        group.wait()
        return (String(decoding: output, as: UTF8.self), String(decoding: errors, as: UTF8.self))
    }
}
