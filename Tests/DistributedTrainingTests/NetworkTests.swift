import Foundation
import Testing

/// The job across a network: two network namespaces as two hosts, one rank in each, Open
/// MPI's TCP transport between them. The collectives hold, and 20 training steps give the
/// same bytes as the two ranks on shared memory (the sum is in rank order whatever the
/// transport).
@Suite("Across two network namespaces", .serialized)
struct NetworkTests {
    @Test func collectivesAndTrainingOverTCPBetweenTwoNamespaces() throws {
        let mpirun = try MPIJob.mpirun()
        let program = try MPIJob.program("fathom-distributed-check")
        let data = try EquivalenceTests.data()
        let hosts = try NetworkNamespaces()
        let ip = URL(fileURLWithPath: "/usr/sbin/ip")

        let collectives = try MPIJob.launch(ip, hosts.mpirunCommand(mpirun) + [program.path, "collectives"], timeout: 60)
        #expect(collectives.status == 0 && !collectives.timedOut, "\(collectives.output)\n\(collectives.errors)")
        #expect(collectives.output.contains("rank 1 of 2: collectives ok"), "\(collectives.output)\n\(collectives.errors)")

        // Each rank really is in its own namespace, neither in the test's.
        let placement = try MPIJob.launch(ip, hosts.mpirunCommand(mpirun) + ["/bin/sh", "-c", "readlink /proc/self/ns/net"], timeout: 60)
        let namespaces = Set(placement.output.split(separator: "\n").map(String.init))
        #expect(namespaces.count == 2 && !namespaces.contains(NetworkNamespaces.currentNamespace), "\(placement.output)")

        try EquivalenceTests.withScratchDirectory { directory in
            let arguments = ["train", data.path, "--steps", "20", "--batch-size", "32", "--seed", "7", "--learning-rate", "0.01"]
            let overTCP = directory.appendingPathComponent("tcp.safetensors"), local = directory.appendingPathComponent("local.safetensors")
            var training = arguments
            training.insert(overTCP.path, at: 2)
            let job = try MPIJob.launch(ip, hosts.mpirunCommand(mpirun) + [program.path] + training, timeout: 120)
            try #require(job.status == 0 && !job.timedOut, "\(job.output)\n\(job.errors)")
            training[2] = local.path
            let reference = try MPIJob.run(processes: 2, training)
            try #require(reference.status == 0, "\(reference.output)\n\(reference.errors)")
            #expect(try Data(contentsOf: overTCP) == Data(contentsOf: local), "TCP between namespaces and shared memory differ")
        }
    }
}
