import Testing

/// The collectives between real Open MPI processes, against values worked out by hand
/// (the checks themselves are in Tests/DistributedCheck/CollectiveChecks.swift; a failed one
/// makes the job exit non-zero with a message naming the rank).
@Suite("Collectives under mpirun", .serialized)
struct CollectiveTests {
    @Test(arguments: [2, 3])
    func collectivesGiveTheHandComputedValues(processes: Int) throws {
        let job = try MPIJob.run(processes: processes, ["collectives"])
        #expect(!job.timedOut, "the job hung:\n\(job.errors)")
        #expect(job.status == 0, "exit status \(job.status):\n\(job.output)\n\(job.errors)")
        for rank in 0..<processes {
            #expect(job.output.contains("rank \(rank) of \(processes): collectives ok"), "\(job.output)\n\(job.errors)")
        }
    }
}
