import Testing

/// A rank that dies or fails ends the whole job quickly with a message naming it, instead of
/// leaving the other ranks waiting in an all-reduce forever.
@Suite("Failure under mpirun", .serialized)
struct FailureTests {
    /// A generous bound that a hang would exceed; the measured time is about a second.
    static let hangLimit = 45.0

    @Test func aKilledRankEndsTheJob() throws {
        let job = try MPIJob.run(processes: 2, ["die", "1"], timeout: Self.hangLimit)
        #expect(!job.timedOut, "the job was still running after \(Self.hangLimit) s")
        #expect(job.status != 0)
        #expect(job.output.contains("rank 1: killing myself with SIGKILL"))
        // Open MPI's mpirun: "mpirun noticed that process rank 1 with PID ... exited on signal 9 (Killed)."
        #expect(job.errors.contains("process rank 1") && job.errors.contains("signal 9"), "\(job.errors)")
    }

    @Test func aRankThatFailsAbortsTheJobNamingItself() throws {
        let job = try MPIJob.run(processes: 2, ["fail", "1"], timeout: Self.hangLimit)
        #expect(!job.timedOut, "the job was still running after \(Self.hangLimit) s")
        #expect(job.status != 0)
        #expect(job.errors.contains("rank 1 of 2: simulated failure"), "\(job.errors)")
    }
}
