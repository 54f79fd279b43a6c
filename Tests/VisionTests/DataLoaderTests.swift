import Foundation
import Tensor
import Testing
import Vision

/// The data loader: batching, seeded order and augmentation independent of the worker count,
/// weighted sampling, and errors delivered to the consumer.
@Suite("Data loader")
struct DataLoaderTests {
    typealias Support = VisionTestSupport

    static let augmentation = Compose {
        RandomAffine(degrees: -15...15, translate: (0.1, 0.1), scale: 0.9...1.1)
        RandomHorizontalFlip()
        GaussianNoise(standardDeviation: 0.02)
    }

    /// Every batch of an epoch, as (images, labels, indices).
    static func collect<D: Dataset>(_ loader: DataLoader<D>, epoch: Int) throws -> [([Float], [Int], [Int])] {
        var result: [([Float], [Int], [Int])] = []
        try loader.forEachBatch(epoch: epoch) { batch in result.append((batch.images.scalars, batch.labels, batch.indices)) }
        return result
    }

    @Test func batchesAreIdenticalWhateverTheNumberOfWorkers() throws {
        let dataset = SyntheticDataset(count: 53).transformed(by: RandomCrop(size: 5))
        func loader(_ workers: Int) -> DataLoader<TransformedDataset<SyntheticDataset>> {
            DataLoader(dataset: dataset, batchSize: 8, shuffle: true, seed: 77, transform: Self.augmentation,
                       workerCount: workers, prefetch: 3)
        }
        for epoch in 0..<2 {
            let reference = try Self.collect(loader(0), epoch: epoch)
            #expect(reference.count == 7 && reference.last?.1.count == 5)
            for workers in [1, 3] {
                let batches = try Self.collect(loader(workers), epoch: epoch)
                #expect(batches.count == reference.count)
                for (a, b) in zip(batches, reference) {
                    #expect(a.0 == b.0 && a.1 == b.1 && a.2 == b.2, "epoch \(epoch), \(workers) workers")
                }
            }
        }
        // Augmentations change between epochs and seeds.
        #expect(try Self.collect(loader(1), epoch: 0)[0].0 != Self.collect(loader(1), epoch: 1)[0].0)
    }

    @Test func shuffledEpochsArePermutationsThatDifferAndRepeatFromTheSeed() throws {
        let loader = DataLoader(dataset: SyntheticDataset(count: 30), batchSize: 4, shuffle: true, seed: 5, workerCount: 2)
        let first = try Self.collect(loader, epoch: 0).flatMap(\.2)
        let second = try Self.collect(loader, epoch: 1).flatMap(\.2)
        #expect(first.sorted() == Array(0..<30) && second.sorted() == Array(0..<30))
        #expect(first != second && first != Array(0..<30))
        #expect(try Self.collect(loader, epoch: 0).flatMap(\.2) == first)
        #expect(loader.indices(epoch: 1) == second)
    }

    @Test func sequentialBatchesStackSamplesInOrderAndDropLast() throws {
        let dataset = SyntheticDataset(count: 10)
        let loader = DataLoader(dataset: dataset, batchSize: 4, dropLast: true, workerCount: 2)
        #expect(loader.batchCount == 2)
        var batches = loader.batches(epoch: 0)
        let first = try #require(try batches.next())
        #expect(first.images.shape == [4, 1, 6, 6])
        #expect(first.labels == [0, 1, 2, 0] && first.indices == [0, 1, 2, 3])
        #expect(first.identifiers == ["synthetic/0", "synthetic/1", "synthetic/2", "synthetic/3"])
        // Image k of the batch is sample k, byte for byte.
        let third = try dataset.sample(at: 2).image.scalars
        #expect(Array(first.images.scalars[72..<108]) == third)
        #expect(try batches.next()?.indices == [4, 5, 6, 7])
        #expect(try batches.next() == nil)
        #expect(DataLoader(dataset: dataset, batchSize: 4).batchCount == 3)
    }

    @Test func classBalancedSamplingDrawsClassesEvenly() throws {
        // 90 samples of class 0 and 10 of class 1.
        struct Skewed: Dataset {
            let count = 100
            func sample(at index: Int) -> Sample {
                Sample(image: Tensor(shape: [1, 1, 1], repeating: Float(index)), label: index < 90 ? 0 : 1)
            }
        }
        let labels = try Skewed().allLabels()
        let loader = DataLoader(dataset: Skewed(), batchSize: 50, sampler: .classBalanced(labels: labels, count: 2000), seed: 1)
        var ones = 0
        try loader.forEachBatch(epoch: 0) { batch in ones += batch.labels.filter { $0 == 1 }.count }
        #expect(abs(Double(ones) / 2000 - 0.5) < 0.05, "class 1 drawn \(ones) of 2000 times")
        #expect(loader.indices(epoch: 3) == loader.indices(epoch: 3) && loader.indices(epoch: 3) != loader.indices(epoch: 4))
    }

    @Test func aDecodingErrorReachesTheConsumerAndEndsTheEpoch() throws {
        for workers in [0, 2] {
            let loader = DataLoader(dataset: SyntheticDataset(count: 20, failingIndex: 9), batchSize: 4, workerCount: workers)
            var batches = loader.batches(epoch: 0)
            #expect(try batches.next()?.indices == [0, 1, 2, 3])
            #expect(try batches.next()?.indices == [4, 5, 6, 7])
            #expect(throws: SyntheticDataset.Failure(index: 9)) { try batches.next() }
            #expect(try batches.next() == nil)
        }
    }

    @Test func unreadableImageFilesAreReportedThroughTheLoaderWithTheirPath() throws {
        let (root, corrupt) = try DatasetImageFolderTests.makeFolderWithCorruptFiles()
        defer { try? FileManager.default.removeItem(at: root) }
        let loader = DataLoader(dataset: try ImageFolderDataset(root: root), batchSize: 2, workerCount: 2)
        do {
            try loader.forEachBatch(epoch: 0) { _ in }
            Issue.record("the corrupt files must surface as an error")
        } catch let error as ImageCodecError {
            #expect(error.description.contains(corrupt[0]))
        }
    }

    @Test func imagesOfDifferentShapesThrowInsteadOfCrashing() throws {
        struct Ragged: Dataset {
            let count = 4
            func sample(at index: Int) -> Sample {
                Sample(image: Tensor(shape: [1, 2 + index, 2], repeating: 0), label: 0, identifier: "r\(index)")
            }
        }
        let loader = DataLoader(dataset: Ragged(), batchSize: 4, workerCount: 1)
        #expect(throws: DataLoaderError.inconsistentShapes(expected: [1, 2, 2], found: [1, 3, 2], identifier: "r1")) {
            try loader.forEachBatch(epoch: 0) { _ in }
        }
    }

    @Test func abandoningAnEpochEarlyStopsTheWorkers() throws {
        let loader = DataLoader(dataset: SyntheticDataset(count: 1000), batchSize: 2, workerCount: 3, prefetch: 2)
        for _ in 0..<20 {
            var batches = loader.batches(epoch: 0)
            _ = try batches.next()
        }
        // The loader still works afterwards and an epoch runs to completion.
        #expect(try Self.collect(loader, epoch: 0).count == 500)
    }

    @Test func subsetsConcatenationsAndTransformedDatasetsForwardSamples() throws {
        let base = SyntheticDataset(count: 10)
        let subset = base.subset([7, 2])
        #expect(subset.count == 2)
        #expect(try subset.label(at: 0) == 1)
        #expect(try subset.sample(at: 1).image.scalars == base.sample(at: 2).image.scalars)
        let both = ConcatDataset([subset, SyntheticDataset(count: 3)])
        #expect(both.count == 5)
        #expect(try both.sample(at: 2).identifier == "synthetic/0" && both.sample(at: 1).identifier == "synthetic/2")
        let flipped = base.transformed(by: RandomHorizontalFlip(probability: 1))
        #expect(try flipped.sample(at: 4).image.scalars == base.sample(at: 4).image.flippedHorizontally().scalars)
        #expect(try flipped.allLabels() == base.allLabels())
        let erased = AnyDataset(flipped)
        #expect(erased.count == 10)
        #expect(try erased.label(at: 4) == 1)
        #expect(try erased.sample(at: 4).image.scalars == flipped.sample(at: 4).image.scalars)
    }
}
