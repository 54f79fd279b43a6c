import DistributedTraining
import Tensor
import Testing

/// The launch detection and the group of one, without MPI.
@Suite("Process group")
struct ProcessGroupTests {
    @Test func openMPIEnvironmentIsDetected() throws {
        let launch = try #require(LaunchEnvironment(["OMPI_COMM_WORLD_RANK": "3", "OMPI_COMM_WORLD_SIZE": "8",
                                                     "OMPI_COMM_WORLD_LOCAL_SIZE": "4"]))
        #expect(launch == LaunchEnvironment(["PMIX_RANK": "3", "PMIX_SIZE": "8", "PMIX_LOCAL_SIZE": "4"]))
        #expect((launch.rank, launch.size, launch.localSize) == (3, 8, 4))
    }

    @Test func noLauncherMeansTrainingAlone() {
        #expect(LaunchEnvironment([:]) == nil)
        #expect(LaunchEnvironment(["OMPI_COMM_WORLD_RANK": "5", "OMPI_COMM_WORLD_SIZE": "2"]) == nil, "rank outside the job")
        #expect(LaunchEnvironment(["OMPI_COMM_WORLD_RANK": "one"]) == nil)
    }

    @Test func theGroupOfOneReturnsItsInputs() throws {
        let group = ProcessGroup.single
        #expect((group.rank, group.size, group.isDistributed, group.isLeader) == (0, 1, false, true))
        var values: [Float] = [1, 2, 3]
        try group.allReduce(&values, .mean)
        try group.allReduce(&values, .sum, order: .library)
        try group.broadcast(&values)
        #expect(values == [1, 2, 3])
        #expect(try group.allGather([4, 5]) == [[4, 5]])
        var tensor = Tensor([1, 2])
        try group.allReduce(&tensor, .sum)
        #expect(tensor.scalars == [1, 2])
    }

    @Test func aBroadcastFromAMissingRankIsAnError() {
        var values: [Float] = [1]
        #expect(throws: DistributedError.invalidArgument("broadcast from rank 2, but the group has ranks 0..<1")) {
            try ProcessGroup.single.broadcast(&values, from: 2)
        }
    }

    @Test func theGlobalBatchMustDivideAmongTheRanks() throws {
        #expect(try DataParallel.localBatchSize(global: 64, group: .single) == 64)
        #expect(throws: DistributedError.self) { try DataParallel.localBatchSize(global: 0, group: .single) }
    }
}
