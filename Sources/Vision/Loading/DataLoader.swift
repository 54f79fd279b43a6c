import Tensor

/// Batches of a dataset, decoded and augmented on background threads (PyTorch's
/// `DataLoader`).
///
/// Each epoch visits the dataset in the sampler's order, derived from `seed` and the epoch
/// number, and cuts it into batches of `batchSize` (the last one smaller unless `dropLast`).
/// Sample `p` of the epoch gets its own generator, `RandomGenerator.stream` of a seed
/// derived from (`seed`, epoch) and index `p`, for the dataset's and the loader's
/// transforms: the batches are identical whatever `workerCount`, and every epoch sees new
/// augmentations.
///
/// ```swift
/// let loader = DataLoader(dataset: train, batchSize: 64, shuffle: true, seed: 1, transform: augment)
/// for epoch in 0..<10 {
///     var batches = loader.batches(epoch: epoch)
///     while let batch = try batches.next() {
///         // batch.images: [64, 1, 128, 128], batch.labels: [Int]
///     }
/// }
/// ```
public struct DataLoader<Source: Dataset>: Sendable {
    /// The dataset.
    public let dataset: Source
    /// Samples per batch.
    public let batchSize: Int
    /// How each epoch orders the samples.
    public let sampler: Sampler
    /// The seed of every random choice: order and augmentation.
    public let seed: UInt64
    /// Whether an incomplete last batch is left out.
    public let dropLast: Bool
    /// In data-parallel training, this process's shard of every epoch; `nil` takes all of it.
    public let shard: DistributedSampler?
    /// Applied to every image after the dataset's own processing, or `nil`.
    public let transform: (any Transform)?
    /// Background threads preparing batches; 0 prepares them on the consumer's thread.
    public let workerCount: Int
    /// The most batches prepared ahead of the consumer (in progress or waiting); it bounds
    /// memory.
    public let prefetch: Int

    /// A loader over `dataset`.
    ///
    /// - Parameters:
    ///   - batchSize: samples per batch.
    ///   - shuffle: a new random order each epoch (the same as `sampler: .random`); cannot be
    ///     combined with `sampler`.
    ///   - sampler: the order; `nil` means `.random` if `shuffle`, else `.sequential`. Use
    ///     `.classBalanced(labels:)` to oversample rare classes.
    ///   - seed: determines every order and augmentation.
    ///   - dropLast: leave out an incomplete last batch (keeps batch statistics stable).
    ///   - shard: in data-parallel training, the rank's share of each epoch; `batchSize` is
    ///     then the rank's part of the global batch. Sample augmentation follows the sample's
    ///     position in the whole epoch, so `p` ranks see exactly what one process would.
    ///   - transform: applied to each image, with the sample's generator.
    ///   - workerCount: background threads; defaults to one per core.
    ///   - prefetch: batches prepared ahead; defaults to two per worker.
    public init(dataset: Source, batchSize: Int, shuffle: Bool = false, sampler: Sampler? = nil, seed: UInt64 = 0,
                dropLast: Bool = false, shard: DistributedSampler? = nil, transform: (any Transform)? = nil, workerCount: Int = Parallel.coreCount,
                prefetch: Int? = nil) {
        precondition(batchSize > 0, "DataLoader: batch size must be positive, got \(batchSize)")
        precondition(!(shuffle && sampler != nil), "DataLoader: shuffle and sampler are mutually exclusive (use sampler: .random)")
        precondition(workerCount >= 0, "DataLoader: worker count must not be negative, got \(workerCount)")
        let sampler = sampler ?? (shuffle ? .random : .sequential)
        if case .weighted(let weights, _) = sampler {
            precondition(weights.count == dataset.count,
                         "DataLoader: the sampler has \(weights.count) weights for a dataset of \(dataset.count) samples")
        }
        (self.dataset, self.batchSize, self.sampler, self.seed, self.dropLast) = (dataset, batchSize, sampler, seed, dropLast)
        self.shard = shard
        self.transform = transform
        self.workerCount = workerCount
        self.prefetch = max(1, prefetch ?? 2 * workerCount)
    }

    /// The number of samples this loader draws per epoch (its shard's, when sharded).
    public var samplesPerEpoch: Int {
        let drawn: Int
        if case .weighted(_, let count) = sampler { drawn = count } else { drawn = dataset.count }
        return shard?.shardLength(of: drawn) ?? drawn
    }

    /// The number of batches per epoch.
    public var batchCount: Int {
        dropLast ? samplesPerEpoch / batchSize : (samplesPerEpoch + batchSize - 1) / batchSize
    }

    /// The dataset indices visited in `epoch`, in order (before cutting into batches); the
    /// shard's when sharded.
    public func indices(epoch: Int) -> [Int] {
        let order = epochOrder(epoch)
        return shard?.shard(of: order) ?? order
    }

    /// The sampler's order of `epoch`, the same on every rank.
    private func epochOrder(_ epoch: Int) -> [Int] {
        precondition(epoch >= 0, "DataLoader: epoch must not be negative, got \(epoch)")
        var generator = RandomGenerator.stream(seed: seed, index: UInt64(epoch))
        return sampler.indices(datasetCount: dataset.count, generator: &generator)
    }

    /// The batches of `epoch`; preparation starts at once on the worker threads.
    ///
    /// Iterate with `while let batch = try batches.next()`. An error while preparing a batch
    /// (an unreadable file) is thrown by `next()` when that batch is due, and ends the
    /// epoch. Dropping the iterator early stops the workers.
    public func batches(epoch: Int) -> BatchIterator {
        // The whole epoch's order, and the positions in it this loader takes.
        let fullOrder = epochOrder(epoch)
        let order = shard?.sharedOrder(fullOrder) ?? fullOrder
        let positionsTaken = shard?.positions(length: fullOrder.count) ?? Array(order.indices)
        // A stream family per epoch, separate from the order's: sample p of the epoch
        // draws from stream p, whoever prepares it.
        var epochGenerator = RandomGenerator.stream(seed: ~seed, index: UInt64(epoch))
        let augmentationSeed = epochGenerator.next()
        let (loader, batchSize) = (self, batchSize)
        let makeBatch: @Sendable (Int) throws -> Batch = { batch in
            let positions = positionsTaken[(batch * batchSize)..<min((batch + 1) * batchSize, positionsTaken.count)]
            var samples: [Sample] = []
            samples.reserveCapacity(positions.count)
            for position in positions {
                var generator = RandomGenerator.stream(seed: augmentationSeed, index: UInt64(position))
                var sample = try loader.dataset.sample(at: order[position], generator: &generator)
                if let transform = loader.transform { sample.image = transform(sample.image, generator: &generator) }
                samples.append(sample)
            }
            return try Batch(samples: samples, indices: positions.map { order[$0] })
        }
        return BatchIterator(batchCount: batchCount, workerCount: workerCount, prefetch: prefetch, makeBatch: makeBatch)
    }

    /// Calls `body` with each batch of `epoch` in order.
    ///
    /// - Throws: the first error preparing a batch, or thrown by `body`.
    public func forEachBatch(epoch: Int, _ body: (Batch) throws -> Void) throws {
        var iterator = batches(epoch: epoch)
        while let batch = try iterator.next() { try body(batch) }
    }
}
