import DistributedTraining
import Foundation

/// A job in which one rank fails while the others wait for it in an all-reduce.
struct FailureDrill {
    let group: ProcessGroup
    let failingRank: Int

    /// All-reduces 4 MB until the failing rank SIGKILLs itself at the fourth round; the
    /// others must be stopped by the launcher, not hang.
    func dieBySignal() throws {
        var buffer = [Float](repeating: 1, count: 1 << 20)
        for round in 0..<1_000_000 {
            if group.rank == failingRank && round == 3 {
                FileHandle.standardOutput.write(Data("rank \(group.rank): killing myself with SIGKILL (pid \(getpid()))\n".utf8))
                kill(getpid(), SIGKILL)
            }
            try group.allReduce(&buffer, .mean)
        }
    }

    /// The failing rank hits an error and aborts the job while the others sit in an all-reduce.
    func abortWithError() throws {
        var buffer = [Float](repeating: 1, count: 1024)
        try group.allReduce(&buffer, .sum)
        if group.rank == failingRank { group.abort("simulated failure: the training data could not be read") }
        try group.allReduce(&buffer, .sum)
        Thread.sleep(forTimeInterval: 600)
    }
}
