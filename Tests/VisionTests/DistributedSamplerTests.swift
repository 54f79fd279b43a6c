import Tensor
import Testing
import Vision

/// The distributed sampler: disjoint, complete shards of one order, identical across ranks,
/// new every epoch; and a sharded loader that reproduces the single-process batches.
@Suite("Distributed sampler")
struct DistributedSamplerTests {
    @Test(arguments: [(10, 2), (11, 2), (11, 3), (3, 4), (100, 8)])
    func shardsPadByRepeatingAndCoverEveryPosition(length: Int, ranks: Int) {
        let order = (0..<length).map { 1000 + $0 }
        let shards = (0..<ranks).map { DistributedSampler(rank: $0, rankCount: ranks).shard(of: order) }
        let shardLength = (length + ranks - 1) / ranks
        #expect(shards.allSatisfy { $0.count == shardLength })
        // Rank r takes positions r, r + p, ... of the order extended from its start.
        for (rank, shard) in shards.enumerated() {
            #expect(shard == stride(from: rank, to: shardLength * ranks, by: ranks).map { order[$0 % length] })
        }
        // Every sample appears; only the padding repeats, and it repeats the first positions.
        let all = shards.flatMap { $0 }
        #expect(Set(all) == Set(order))
        #expect(all.count - length == shardLength * ranks - length)
    }

    @Test(arguments: [(10, 2), (11, 2), (11, 3), (100, 8)])
    func dropLastGivesDisjointShards(length: Int, ranks: Int) {
        let order = Array((0..<length).reversed())
        let shards = (0..<ranks).map { DistributedSampler(rank: $0, rankCount: ranks, remainder: .dropLast).shard(of: order) }
        let all = shards.flatMap { $0 }
        #expect(shards.allSatisfy { $0.count == length / ranks })
        #expect(Set(all).count == all.count, "the shards overlap")
        #expect(Set(all) == Set(order.prefix(length / ranks * ranks)))
    }

    @Test func shardedLoadersShareOneOrderPerEpochAndChangeWithTheEpoch() throws {
        let dataset = SyntheticDataset(count: 50)
        func loader(rank: Int, of ranks: Int) -> DataLoader<SyntheticDataset> {
            DataLoader(dataset: dataset, batchSize: 4, shuffle: true, seed: 3,
                       shard: DistributedSampler(rank: rank, rankCount: ranks), workerCount: 0)
        }
        let single = DataLoader(dataset: dataset, batchSize: 4, shuffle: true, seed: 3, workerCount: 0)
        for epoch in 0..<2 {
            let shards = (0..<2).map { loader(rank: $0, of: 2).indices(epoch: epoch) }
            #expect(Set(shards[0]).isDisjoint(with: shards[1]))
            #expect(Set(shards[0] + shards[1]) == Set(0..<50))
            // Interleaved they are the single process's order (50 divides by 2: no padding).
            #expect(zip(shards[0], shards[1]).flatMap { [$0, $1] } == single.indices(epoch: epoch))
        }
        #expect(loader(rank: 0, of: 2).indices(epoch: 0) != loader(rank: 0, of: 2).indices(epoch: 1))
    }

    @Test func shardedBatchesTogetherAreTheSingleProcessBatch() throws {
        // With augmentation: each sample's random stream follows its position in the whole
        // epoch, so two ranks with batch 4 see exactly what one process with batch 8 sees.
        let dataset = SyntheticDataset(count: 40).transformed(by: RandomCrop(size: 5))
        let augment = Compose { RandomAffine(degrees: -10...10, translate: (0.1, 0.1)); RandomHorizontalFlip() }
        let single = DataLoader(dataset: dataset, batchSize: 8, shuffle: true, seed: 9, dropLast: true, transform: augment,
                                workerCount: 0)
        let ranks = (0..<2).map {
            DataLoader(dataset: dataset, batchSize: 4, shuffle: true, seed: 9, dropLast: true,
                       shard: DistributedSampler(rank: $0, rankCount: 2), transform: augment, workerCount: 2)
        }
        #expect(ranks[0].batchCount == single.batchCount)
        var whole = single.batches(epoch: 1)
        var parts = ranks.map { $0.batches(epoch: 1) }
        while let batch = try whole.next() {
            let halves = try parts.indices.map { try #require(try parts[$0].next()) }
            let perSample = batch.images.scalarCount / batch.count
            for (position, index) in batch.indices.enumerated() {
                let half = halves[position % 2], row = position / 2
                #expect(half.indices[row] == index)
                #expect(Array(half.images.scalars[(row * perSample)..<((row + 1) * perSample)])
                        == Array(batch.images.scalars[(position * perSample)..<((position + 1) * perSample)]))
            }
        }
    }
}
