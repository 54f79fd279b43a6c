import DistributedTraining
import Vision

/// What the trainer asks of the processes of a data-parallel run (`mpirun -np N pneumonia
/// train`): its share of each batch and epoch, the epoch's totals, the validation scores of
/// every rank, and decisions that every rank must take alike.
extension ProcessGroup {
    /// This rank's shard of every training epoch, `nil` alone. Padding repeats the epoch's
    /// first samples, as PyTorch's `DistributedSampler` does; with `dropLast` batches (the
    /// trainer's rule) only whole global batches are trained either way.
    var trainingShard: DistributedSampler? {
        isDistributed ? DistributedSampler(rank: rank, rankCount: size) : nil
    }

    /// Sums over the ranks of an epoch's loss total, correct predictions and samples seen.
    func epochTotals(lossSum: Double, correct: Int, seen: Int) throws -> (lossSum: Double, correct: Int, seen: Int) {
        guard isDistributed else { return (lossSum, correct, seen) }
        let all = try allGather([lossSum, Double(correct), Double(seen)])
        let lossSum = all.reduce(0) { $0 + $1[0] }  // in rank order
        return (lossSum, all.reduce(0) { $0 + Int($1[1]) }, all.reduce(0) { $0 + Int($1[2]) })
    }

    /// Labels and probabilities of every image of `dataset`, in order, on every rank: rank `r`
    /// scores images `r, r + size, ...` and the scores are gathered, so that AUC and the
    /// threshold are computed on the whole set.
    func predictAll(_ classifier: Classifier, _ dataset: AnyDataset, workers: Int) throws -> (labels: [Int], probabilities: [Float]) {
        guard isDistributed else { return try classifier.predict(dataset, workers: workers) }
        let mine = Array(stride(from: rank, to: dataset.count, by: size))
        let (labels, probabilities) = try classifier.predict(AnyDataset(dataset.subset(mine)), workers: workers)
        let allLabels = try allGather(labels), allProbabilities = try allGather(probabilities)
        var orderedLabels = [Int](repeating: 0, count: dataset.count)
        var orderedProbabilities = [Float](repeating: 0, count: dataset.count)
        for source in 0..<size {
            for (k, index) in stride(from: source, to: dataset.count, by: size).enumerated() {
                orderedLabels[index] = allLabels[source][k]
                orderedProbabilities[index] = allProbabilities[source][k]
            }
        }
        return (orderedLabels, orderedProbabilities)
    }

    /// Rank 0's `decision` on every rank (for choices from clocks, which differ between ranks:
    /// were each rank to decide alone, one could stop while the others wait for it).
    func leaderDecides(_ decision: Bool) throws -> Bool {
        guard isDistributed else { return decision }
        var flag: [UInt8] = [decision ? 1 : 0]
        try broadcast(&flag)
        return flag[0] == 1
    }
}
