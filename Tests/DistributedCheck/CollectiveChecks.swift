import DistributedTraining
import Foundation
import Layers
import Tensor

/// The collectives against values worked out by hand from the rank and size.
struct CollectiveChecks {
    let group: ProcessGroup

    func run() throws {
        let (rank, size) = (group.rank, group.size)
        // Sum and mean of rank-dependent values; 7 elements do not divide among 2 or 3 ranks.
        for order in [ReductionOrder.rankOrder, .library] {
            var values = (0..<7).map { Float(($0 + 1) * (rank + 1)) }
            try group.allReduce(&values, .sum, order: order)
            let ranksSum = Float(size * (size + 1) / 2)
            require(values == (0..<7).map { Float($0 + 1) * ranksSum }, "\(order) sum gave \(values)", group: group)
            var means = [Float](repeating: Float(rank), count: 5)
            try group.allReduce(&means, .mean, order: order)
            require(means == [Float](repeating: Float(size - 1) / 2, count: 5), "\(order) mean gave \(means)", group: group)
        }
        // Rank order: with 3 ranks (1 + 1e8) - 1e8 = 0 in Float, while 1 + (1e8 - 1e8) = 1.
        var cancelling: [Float] = [[1, 1e8, -1e8][rank % 3]]
        try group.allReduce(&cancelling, .sum)
        var expected: Float = 0
        for r in 0..<size { expected += [1, 1e8, -1e8][r % 3] }
        require(cancelling[0].bitPattern == expected.bitPattern, "rank-order sum gave \(cancelling[0]), expected \(expected)", group: group)
        // Tensors.
        var tensor = Tensor(shape: [2, 2], scalars: [1, 2, 3, 4].map { $0 * Float(rank + 1) })
        try group.allReduce(&tensor, .mean)
        let meanFactor = Float(size + 1) / 2
        require(tensor.scalars == [1, 2, 3, 4].map { $0 * meanFactor }, "tensor mean gave \(tensor.scalars)", group: group)
        // Broadcast from the last rank.
        let root = size - 1
        var broadcast = (0..<10).map { Float(rank * 1000 + $0) }
        try group.broadcast(&broadcast, from: root)
        require(broadcast == (0..<10).map { Float(root * 1000 + $0) }, "broadcast gave \(broadcast)", group: group)
        // All-gather of different lengths: rank r gives r + 1 values.
        let gathered = try group.allGather((0...rank).map { rank * 100 + $0 })
        require(gathered == (0..<size).map { r in (0...r).map { r * 100 + $0 } }, "all-gather gave \(gathered)", group: group)
        try group.barrier()
        try checkDataParallel()
        print("rank \(rank) of \(size): collectives ok")
    }

    /// Rank 0's weights reach every rank; buffers are averaged.
    private func checkDataParallel() throws {
        let model = CompactCNN(inputChannels: 1, classCount: 2, seed: UInt64(group.rank))
        let parallel = DataParallel(model: model, group: group)
        try parallel.broadcastState()
        let reference = CompactCNN(inputChannels: 1, classCount: 2, seed: 0)
        for ((name, mine), (_, theirs)) in zip(model.namedParameters(), reference.namedParameters()) {
            require(mine.value.scalars == theirs.value.scalars, "parameter \(name) differs from rank 0's after broadcastState",
                    group: group)
        }
        for (_, buffer) in model.namedBuffers() {
            buffer.value = Tensor(shape: buffer.shape, repeating: Float(group.rank))
        }
        try parallel.averageBuffers()
        for (name, buffer) in model.namedBuffers() {
            require(buffer.value.scalars.allSatisfy { $0 == Float(group.size - 1) / 2 }, "buffer \(name) was not averaged",
                    group: group)
        }
    }
}
