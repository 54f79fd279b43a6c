import Tensor
import Testing

/// How many threads a process computes with: the override, the launcher's binding, or an
/// equal share of the machine among the job's local processes.
@Suite("Thread count")
struct ThreadCountTests {
    @Test func overrideWins() {
        #expect(Parallel.threadCount(override: "3", localProcesses: 2, allowedCPUs: 8, onlineCPUs: 8) == 3)
    }

    @Test func invalidOverrideIsIgnored() {
        #expect(Parallel.threadCount(override: "0", localProcesses: nil, allowedCPUs: 8, onlineCPUs: 8) == 8)
        #expect(Parallel.threadCount(override: "many", localProcesses: nil, allowedCPUs: 8, onlineCPUs: 8) == 8)
    }

    @Test func unboundLocalProcessesShareTheMachine() {
        #expect(Parallel.threadCount(override: nil, localProcesses: 2, allowedCPUs: 2, onlineCPUs: 2) == 1)
        #expect(Parallel.threadCount(override: nil, localProcesses: 3, allowedCPUs: 32, onlineCPUs: 32) == 10)
        #expect(Parallel.threadCount(override: nil, localProcesses: 4, allowedCPUs: 2, onlineCPUs: 2) == 1)
    }

    @Test func aProcessBoundToFewerCPUsUsesThem() {
        #expect(Parallel.threadCount(override: nil, localProcesses: 2, allowedCPUs: 1, onlineCPUs: 2) == 1)
        #expect(Parallel.threadCount(override: nil, localProcesses: 4, allowedCPUs: 4, onlineCPUs: 16) == 4)
    }

    @Test func aloneItUsesEveryCPU() {
        #expect(Parallel.threadCount(override: nil, localProcesses: nil, allowedCPUs: 16, onlineCPUs: 16) == 16)
    }
}
