import Foundation
import Layers
import Optim
import Tensor
import Vision

/// End-to-end training throughput on PneumoniaMNIST 28×28 with the defaults of
/// `pneumonia train` (Examples/Pneumonia/PneumoniaKit/Training: CompactCNN, AdamW at 3e-3 with
/// weight decay 1e-4, class-weighted cross-entropy, the `light` RandomAffine, normalization by
/// statistics of 512 training images, shuffled batches of 64, 2 loader workers): the first 20
/// batches of an epoch through the `DataLoader`, against the same steps on the same batches
/// preloaded as tensors. Their ratio (loader time / preloaded time) shows how input-bound
/// training is: 1 = not at all.
///
/// Not reproduced from the trainer: the per-step learning-rate schedule (one scalar
/// assignment) and the progress bar; at 28×28 the trainer's square-and-resize is the identity.
enum PipelineBenchmarks {
    static let batchCount = 20
    static let batchSize = 64
    /// Timed rounds, each running the 20 steps once per way.
    static let rounds = 3

    static func run() {
        let url = BenchmarkData.url("pneumoniamnist/pneumoniamnist.npz")
        let train = BenchmarkData.must { try MedMNISTDataset(contentsOf: url, split: .train) }
        let counts = (0..<2).map { c in train.labels.filter { $0 == c }.count }
        let classWeights = Tensor(counts.map { Float(train.count) / Float(counts.count * max($0, 1)) })
        let (mean, standardDeviation) = statistics(train)
        let loader = DataLoader(
            dataset: train, batchSize: batchSize, shuffle: true, seed: 42, dropLast: true,
            transform: Compose([RandomAffine(degrees: -10...10, translate: (x: 0.06, y: 0.06), scale: 0.92...1.08),
                                Normalize(mean: [mean], standardDeviation: [standardDeviation])]),
            workerCount: 2)

        func forEachBatch(_ body: (Batch) -> Void) {
            var batches = loader.batches(epoch: 0)
            for _ in 0..<batchCount {
                guard let batch = BenchmarkData.must({ try batches.next() }) else { break }
                body(batch)
            }
        }
        var preloaded: [Batch] = []
        forEachBatch { preloaded.append($0) }
        precondition(preloaded.count == batchCount, "PipelineBenchmarks: the epoch has only \(preloaded.count) batches")

        // The three ways are timed in alternation, round after round, so that the drifting load
        // of a shared machine hits them alike; each ratio compares runs of the same round.
        let streamed = Trainee(classWeights: classWeights), resident = Trainee(classWeights: classWeights)
        var fromLoader: [Double] = [], fromMemory: [Double] = [], loaderOnly: [Double] = [], ratios: [Double] = []
        for round in 0...rounds {  // round 0 warms up
            let loaderTime = Bench.elapsed { forEachBatch(streamed.step) }
            let memoryTime = Bench.elapsed { preloaded.forEach(resident.step) }
            let onlyTime = Bench.elapsed { forEachBatch { blackHole($0.images) } }
            guard round > 0 else { continue }
            fromLoader.append(loaderTime); fromMemory.append(memoryTime); loaderOnly.append(onlyTime)
            ratios.append(loaderTime / memoryTime)
        }

        let images = Double(batchCount * batchSize)
        Bench.report("pipeline_train", ["data": "pneumoniamnist-28", "model": "compact-cnn", "optimizer": "adamw",
                                        "batches": batchCount, "batch": batchSize, "workers": loader.workerCount,
                                        "rounds": rounds, "loader_img_s": images / Bench.median(fromLoader),
                                        "preloaded_img_s": images / Bench.median(fromMemory),
                                        "loader_only_img_s": images / Bench.median(loaderOnly),
                                        "input_bound_ratio": Bench.median(ratios),
                                        "epoch_s_est": Bench.median(fromLoader) / Double(batchCount) * Double(loader.batchCount),
                                        "pytorch_ref_train_img_s": 1616, "pytorch_ref_source": "issue(not-this-run)",
                                        "peak_rss_mib": Bench.peakResidentMiB()])
    }

    /// The model, optimizer and loss of one run, stepped as the trainer's epoch loop does.
    final class Trainee {
        let model = CompactCNN(inputChannels: 1, classCount: 2, seed: 42)
        let fused: FusedModel<CompactCNN>
        let optimizer: AdamW
        let classWeights: Tensor
        var correct = 0

        init(classWeights: Tensor) {
            optimizer = AdamW(parameters: model.parameters, learningRate: 3e-3, weightDecay: 1e-4)
            self.classWeights = classWeights
            fused = FusedModel(model)
            model.train()
        }

        /// Forward, loss, backward, update, and the accuracy bookkeeping the trainer does.
        func step(_ batch: Batch) {
            let logits = fused(batch.images)
            let loss = crossEntropy(logits: logits, labels: batch.labels, classWeights: classWeights)
            loss.backward()
            optimizer.step()
            optimizer.zeroGradients()
            let predictions = logits.detached().argmax(alongAxis: 1).scalars.map { Int($0) }
            correct += zip(predictions, batch.labels).filter { $0 == $1 }.count
            blackHole(loss.scalar)
        }
    }

    /// Mean and standard deviation of the pixels of up to 512 evenly spaced training images,
    /// as the trainer measures them for its `Normalize`.
    static func statistics(_ train: MedMNISTDataset) -> (Float, Float) {
        let count = min(512, train.count), stride = max(1, train.count / max(count, 1))
        var sum = 0.0, sumSquares = 0.0, n = 0.0
        for i in Swift.stride(from: 0, to: train.count, by: stride).prefix(count) {
            train.sample(at: i).image.withUnsafeBufferPointer { pixels in
                for v in pixels { sum += Double(v); sumSquares += Double(v) * Double(v) }
                n += Double(pixels.count)
            }
        }
        let mean = sum / n
        return (Float(mean), Float(max(1e-3, (sumSquares / n - mean * mean).squareRoot())))
    }
}
