import Foundation
import Testing

/// `mpirun -np 2 pneumonia train` end to end: one log, one run directory written by rank 0;
/// a rank killed mid-run stops the job within seconds naming it; the last checkpoint then
/// resumes, alone.
@Suite("pneumonia train under mpirun", .serialized)
struct PneumoniaTrainingTests {
    /// `epochsCompleted` in the run's `run.json`, or `nil` before the first epoch is saved.
    static func epochsCompleted(_ run: URL) -> Int? {
        guard let data = FileManager.default.contents(atPath: run.appendingPathComponent("run.json").path),
              let json = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else { return nil }
        return json["epochsCompleted"] as? Int
    }

    @Test func aKilledRankStopsTheRunAndItsLastCheckpointResumes() throws {
        let run = FileManager.default.temporaryDirectory.appendingPathComponent("fathom-mpi-run-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: run) }
        var killedAt: Date?
        let job = try MPIJob.run(processes: 2, program: "pneumonia",
                                 ["train", "--out", run.path, "--epochs", "20", "--quiet", "--no-download"],
                                 timeout: 120) { launcher in
            // Once epoch 1 is saved, SIGKILL rank 1.
            let deadline = Date().addingTimeInterval(90)
            while Self.epochsCompleted(run) == nil && launcher.isRunning && Date() < deadline {
                Thread.sleep(forTimeInterval: 0.2)
            }
            let rank1 = try #require(MPIJob.rankProcesses(of: launcher)[1], "rank 1 not found (job running: \(launcher.isRunning))")
            kill(rank1, SIGKILL)
            killedAt = Date()
        }
        let stopSeconds = Date().timeIntervalSince(try #require(killedAt))
        #expect(!job.timedOut && stopSeconds < 30, "the job ran on for \(stopSeconds) s after rank 1 was killed")
        #expect(job.status != 0)
        #expect(job.errors.contains("process rank 1") && job.errors.contains("signal 9"), "\(job.errors)")
        // Rank 0 alone logged.
        #expect(job.output.components(separatedBy: "epoch 1:").count == 2, "\(job.output)")

        let saved = try #require(Self.epochsCompleted(run), "run.json is unreadable after the kill")
        let resumed = try MPIJob.runAlone(program: "pneumonia",
                                          ["train", "--resume", run.path, "--epochs", "\(saved + 1)", "--quiet", "--no-download"])
        #expect(resumed.status == 0, "\(resumed.output)\n\(resumed.errors)")
        #expect(resumed.output.contains("resuming \(run.path) after epoch \(saved)"))
        #expect(Self.epochsCompleted(run) == saved + 1)
    }
}
