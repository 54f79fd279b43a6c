import Foundation
import Layers
import Optim
import Tensor
import Vision

/// The Fathom side of the PyTorch comparison (`Benchmarks/compare/run.sh`): the workloads of
/// `Benchmarks/compare/torch_bench.py`, with the same names, batch, step counts and output
/// line, so that the script can put the two side by side.
///
///   fathom-bench compare                 # every workload, one process
///   fathom-bench compare cnn28_train     # one workload (run.sh: one process each, for peak RSS)
///
/// Each workload runs `warmup` untimed steps, then `steps` timed ones, and reports the median
/// step time as images/s, with the process's peak resident memory (`VmHWM`) at the end and the
/// peak bytes of live tensors during the timed steps (`peak_tensor_mib`).
///
/// `FATHOM_CACHE_LIMIT=F` sets ``TensorMemory/cacheLimitFactor`` (default 1.1), so that one build
/// measures the trade between speed and memory.
enum CompareBenchmarks {
    /// One row of the comparison.
    struct Workload: Sendable {
        let name: String
        let warmup: Int
        let steps: Int
        let run: @Sendable (_ warmup: Int, _ steps: Int) -> [String: Any]
    }

    static let batch = 32

    /// The rows, in table order. Step counts are those of torch_bench.py.
    static let workloads: [Workload] = [
        Workload(name: "cnn28_train", warmup: 5, steps: 30) { training(compactCNN, size: 28, warmup: $0, steps: $1) },
        Workload(name: "cnn128_train", warmup: 2, steps: 10) { training(compactCNN, size: 128, warmup: $0, steps: $1) },
        Workload(name: "resnet18_128_train", warmup: 2, steps: 6) { training(resnet18, size: 128, warmup: $0, steps: $1) },
        Workload(name: "resnet18_128_infer", warmup: 2, steps: 10) { inference(resnet18, channels: 1, size: 128, warmup: $0, steps: $1) },
        Workload(name: "resnet18_224_train", warmup: 1, steps: 4) { training(resnet18, size: 224, warmup: $0, steps: $1) },
        Workload(name: "resnet18_224_infer", warmup: 2, steps: 6) { inference(resnet18, channels: 1, size: 224, warmup: $0, steps: $1) },
        Workload(name: "effnet_lite0_224_infer", warmup: 2, steps: 6) {
            inference(efficientNetLite0, channels: 3, size: 224, warmup: $0, steps: $1)
        },
        Workload(name: "data_loading_128", warmup: 1, steps: 3) { dataLoading(warmup: $0, steps: $1) },
    ]

    static func compactCNN() -> Module { CompactCNN(inputChannels: 1, classCount: 2, seed: 0) }
    static func resnet18() -> Module { ResNet.resnet18(inputChannels: 1, classCount: 2, seed: 0) }
    static func efficientNetLite0() -> Module { EfficientNetLite(inputChannels: 3, classCount: 1000, seed: 0) }

    /// Runs the named workloads (all when `names` is empty), one result line each.
    static func run(_ names: [String]) {
        let chosen = names.isEmpty ? workloads : names.map { name in
            guard let workload = workloads.first(where: { $0.name == name }) else {
                BenchmarkData.fail("unknown compare workload '\(name)'; known: \(workloads.map(\.name).joined(separator: ", "))")
            }
            return workload
        }
        if let problem = GEMM.instructionSetOverrideProblem { BenchmarkData.fail(problem) }
        if let factor = ProcessInfo.processInfo.environment["FATHOM_CACHE_LIMIT"].flatMap(Double.init) {
            TensorMemory.cacheLimitFactor = factor
        }
        for workload in chosen {
            var fields = workload.run(workload.warmup, workload.steps)
            fields["peak_rss_mib"] = Bench.peakResidentMiB()
            fields["isa"] = GEMM.instructionSet.rawValue
            let order = ["framework", "layout", "isa", "batch", "warmup", "steps", "median_ms", "img_s", "cpu_ms", "peak_rss_mib",
                         "peak_tensor_mib", "cache_limit"]
            let values = order.compactMap { key in fields[key].map { (key, $0) } }
            Bench.report(workload.name, fields: values)
        }
    }

    /// The fields every row reports: the median wall time of a step, and the mean CPU time
    /// (user + system, all threads) of a step, which a busy machine inflates far less.
    static func row(warmup: Int, steps: Int, samples: Samples, imagesPerStep: Int) -> [String: Any] {
        let median = Bench.median(samples.wall)
        return ["framework": "fathom", "layout": "nchw", "batch": batch, "warmup": warmup, "steps": steps,
                "median_ms": median * 1e3, "img_s": Double(imagesPerStep) / median,
                "cpu_ms": samples.cpuSeconds / Double(steps) * 1e3,
                "peak_tensor_mib": Double(samples.peakTensorBytes) / Double(1 << 20),
                "cache_limit": TensorMemory.cacheLimitFactor]
    }

    /// Wall seconds of each timed step and the CPU seconds of them all.
    struct Samples {
        var wall: [Double]
        var cpuSeconds: Double
        /// The most bytes of live tensors at once during the timed steps.
        var peakTensorBytes: Int
    }

    /// Timed steps of `body` after untimed warm-up steps.
    static func timedSteps(warmup: Int, steps: Int, _ body: () -> Void) -> Samples {
        for _ in 0..<warmup { body() }
        TensorMemory.resetPeak()
        let cpuStart = Bench.processCPUSeconds()
        let wall = (0..<steps).map { _ in Bench.elapsed(body) }
        return Samples(wall: wall, cpuSeconds: Bench.processCPUSeconds() - cpuStart,
                       peakTensorBytes: TensorMemory.statistics.peakAllocatedBytes)
    }

    /// Forward, cross-entropy, backward and an SGD step (momentum 0.9) on random 1-channel
    /// images, two classes.
    static func training(_ make: () -> Module, size: Int, warmup: Int, steps: Int) -> [String: Any] {
        let model = make()
        model.train()
        let optimizer = SGD(parameters: model.parameters, learningRate: 0.01, momentum: 0.9)
        var generator = RandomGenerator(seed: 21)
        let images = Tensor.normal([batch, 1, size, size], generator: &generator)
        let labels = (0..<batch).map { $0 % 2 }
        let forward = FusedModel(model)
        let samples = timedSteps(warmup: warmup, steps: steps) {
            let loss = crossEntropy(logits: forward(images), labels: labels)
            loss.backward()
            optimizer.step()
            optimizer.zeroGradients()
            blackHole(loss.scalar)
        }
        return row(warmup: warmup, steps: steps, samples: samples, imagesPerStep: batch)
    }

    /// Eval-mode forward passes without the tape, fused (``Module/fusedForInference()``).
    static func inference(_ make: () -> Module, channels: Int, size: Int, warmup: Int, steps: Int) -> [String: Any] {
        let model = make().fusedForInference()
        var generator = RandomGenerator(seed: 22)
        let images = Tensor.normal([batch, channels, size, size], generator: &generator)
        let samples = timedSteps(warmup: warmup, steps: steps) { blackHole(model(images)) }
        return row(warmup: warmup, steps: steps, samples: samples, imagesPerStep: batch)
    }

    /// Images in the data-loading row: evenly spaced over both classes of chest_xray_224.
    static let loadingImageCount = 1024

    /// Full passes of a `DataLoader` (2 workers, batches of 32) over chest X-ray JPEGs:
    /// read, decode to gray, resize to 128, the light random affine, normalize, batch. One
    /// "step" is one pass; images/s is per pass.
    static func dataLoading(warmup: Int, steps: Int) -> [String: Any] {
        let folder = BenchmarkData.must {
            try ImageFolderDataset(root: BenchmarkData.url("chest_xray_224/train"), colorModel: .gray)
        }
        let stride = max(1, folder.count / loadingImageCount)
        let dataset = folder.subset(Array(Swift.stride(from: 0, to: folder.count, by: stride).prefix(loadingImageCount)))
        let loader = DataLoader(dataset: dataset, batchSize: batch, shuffle: true, seed: 1,
                                transform: VisionBenchmarks.augmentation, workerCount: 2)
        var epoch = 0
        let samples = timedSteps(warmup: warmup, steps: steps) {
            BenchmarkData.must { try loader.forEachBatch(epoch: epoch) { blackHole($0.images) } }
            epoch += 1
        }
        var fields = row(warmup: warmup, steps: steps, samples: samples, imagesPerStep: dataset.count)
        fields["layout"] = "workers2"
        return fields
    }
}
