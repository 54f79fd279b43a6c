import Foundation
import Layers
import Tensor

/// Layers benchmarks: conv2d forward and backward on every distinct convolution of ResNet-18
/// (1×128×128, batch 32) and of the CompactCNN (28×28, batch 64), as GFLOP/s and as a
/// fraction of the sgemm GFLOP/s measured in the same run; whole training steps and inference
/// of both models as images/s, beside the PyTorch figures quoted in the issue.
enum LayersBenchmarks {
    static func run() {
        // Seconds of all convolutions of a model, forward and backward, summed over its layers
        // from the per-shape timings: how much of a whole step the convolutions explain.
        var convolutionTotals: [String: (forward: Double, backward: Double)] = [:]
        for setting in [ModelSetting.resnet18(batch: 32), .compactCNN(batch: 64)] {
            var total = (forward: 0.0, backward: 0.0)
            for convolution in distinctConvolutions(setting) {
                let (forward, backward) = benchmark(convolution)
                total.forward += Double(convolution.occurrences) * forward
                total.backward += Double(convolution.occurrences) * backward
            }
            convolutionTotals[setting.key] = total
        }
        for setting in [ModelSetting.compactCNN(batch: 32), .compactCNN(batch: 64), .resnet18(batch: 32)] {
            trainingStep(setting, convolutions: convolutionTotals[setting.key])
            inference(setting, convolutions: convolutionTotals[setting.key])
        }
    }

    /// A zoo model at the input size and batch it is benchmarked at, with the PyTorch 2.15 CPU
    /// throughput quoted in the issue for the same model on this kind of machine (not measured here).
    struct ModelSetting {
        let name: String
        let make: () -> Module
        let batch: Int
        let channels: Int
        let size: Int
        let pytorchTrain: String
        let pytorchInference: String

        static func resnet18(batch: Int) -> ModelSetting {
            ModelSetting(name: "resnet18", make: { ResNet.resnet18(inputChannels: 1, classCount: 2, seed: 0) },
                         batch: batch, channels: 1, size: 128, pytorchTrain: "80-100", pytorchInference: "269-357")
        }

        static func compactCNN(batch: Int) -> ModelSetting {
            ModelSetting(name: "compact-cnn", make: { CompactCNN(inputChannels: 1, classCount: 2, seed: 0) },
                         batch: batch, channels: 1, size: 28, pytorchTrain: "1616", pytorchInference: "5315")
        }

        var inputShape: [Int] { [batch, channels, size, size] }
        var key: String { "\(name)/\(batch)" }
        /// Timing repeats: whole ResNet-18 steps take seconds, CompactCNN steps milliseconds.
        var repeats: Int { name == "resnet18" ? 3 : 9 }
    }

    /// One convolution shape as it occurs in a model.
    struct Convolution {
        let model: String
        /// The first layer with this shape, and how many layers share it.
        let layer: String
        var occurrences: Int
        let inputShape: [Int]
        let weightShape: [Int]
        let hasBias: Bool
        let stride: (Int, Int)
        let padding: Padding2D
        let dilation: (Int, Int)
        let groups: Int
        let outputShape: [Int]

        /// 2·N·Cout·Hout·Wout·(Cin/groups)·kh·kw, the multiply-adds of the forward pass.
        var forwardFLOPs: Double {
            2 * Double(outputShape.reduce(1, *)) * Double(weightShape[1] * weightShape[2] * weightShape[3])
        }
    }

    /// The distinct convolutions of a model, found by walking it: ``Module/summary(inputShape:)``
    /// gives each `Conv2D` call's output shape, and its input size is the output size times the
    /// stride (every convolution in these models divides its input exactly; checked below by
    /// running the convolution on that input).
    static func distinctConvolutions(_ setting: ModelSetting) -> [Convolution] {
        let model = setting.make()
        let modules = Dictionary(model.namedModules().map { ($0.name, $0.module) }, uniquingKeysWith: { a, _ in a })
        var found: [Convolution] = []
        var indexByKey: [String: Int] = [:]
        for row in model.summary(inputShape: setting.inputShape).rows {
            guard let conv = modules[row.name] as? Conv2D else { continue }
            let out = row.outputShape
            let inputShape = [setting.batch, conv.inputChannels, out[2] * conv.stride.0, out[3] * conv.stride.1]
            let key = "\(inputShape) \(conv.weight.shape) \(conv.stride) \(conv.padding) \(conv.dilation) \(conv.groups) \(conv.bias != nil)"
            if let index = indexByKey[key] {
                found[index].occurrences += 1
                continue
            }
            let output = withoutGradients {
                conv2d(Tensor.zeros(inputShape), weight: conv.weight.value, stride: conv.stride, padding: conv.padding,
                       dilation: conv.dilation, groups: conv.groups).shape
            }
            precondition(output == out, "LayersBenchmarks: inferred input \(inputShape) of \(row.name) gives \(output), the model gives \(out)")
            indexByKey[key] = found.count
            found.append(Convolution(model: setting.name, layer: row.name, occurrences: 1, inputShape: inputShape,
                                     weightShape: conv.weight.shape, hasBias: conv.bias != nil, stride: conv.stride,
                                     padding: conv.padding, dilation: conv.dilation, groups: conv.groups, outputShape: output))
        }
        return found
    }

    /// GFLOP/s of a square 1024³ product on Fathom's GEMM (both cores), the ceiling a
    /// GEMM-based convolution can reach; measured next to each convolution, as the load of a
    /// shared machine drifts.
    static func sgemmGFLOPs() -> Double {
        let n = 1024
        var generator = RandomGenerator(seed: 11)
        let a = Tensor.uniform([n, n], generator: &generator), b = Tensor.uniform([n, n], generator: &generator)
        var c = [Float](repeating: 0, count: n * n)
        let t = Bench.seconds(repeats: 3) {
            a.withUnsafeBufferPointer { pa in
                b.withUnsafeBufferPointer { pb in
                    c.withUnsafeMutableBufferPointer { pc in
                        GEMM.multiply(pa.baseAddress!, transposingA: false, pb.baseAddress!, transposingB: false,
                                      into: pc.baseAddress!, m: n, n: n, k: n)
                    }
                }
            }
        }
        return 2 * Double(n * n * n) / t * 1e-9
    }

    /// Forward (no tape) and backward (input and weight gradients, plus bias) of one shape;
    /// returns their seconds.
    static func benchmark(_ c: Convolution) -> (forward: Double, backward: Double) {
        var generator = RandomGenerator(seed: 12)
        let input = Tensor.uniform(c.inputShape, low: -1, high: 1, generator: &generator)
        let weight = Tensor.normal(c.weightShape, standardDeviation: 0.05, generator: &generator)
        let bias = c.hasBias ? Tensor.zeros([c.weightShape[0]]) : nil
        let seed = Tensor.normal(c.outputShape, generator: &generator)
        func convolve(_ x: Tensor, _ w: Tensor, _ b: Tensor?) -> Tensor {
            conv2d(x, weight: w, bias: b, stride: c.stride, padding: c.padding, dilation: c.dilation, groups: c.groups)
        }
        let forward = Bench.seconds(repeats: 3) { withoutGradients { blackHole(convolve(input, weight, bias)) } }
        // Each run gets fresh leaves and a fresh one-op graph, built outside the timing.
        let backward = Bench.seconds(repeats: 3, setup: {
            convolve(input.requiringGradient(), weight.requiringGradient(), bias?.requiringGradient())
        }) { output in output.backward(seed) }
        let sgemm = sgemmGFLOPs()
        let forwardGFLOPs = c.forwardFLOPs / forward * 1e-9, backwardGFLOPs = 2 * c.forwardFLOPs / backward * 1e-9
        let (n, cin, h, w) = (c.inputShape[0], c.inputShape[1], c.inputShape[2], c.inputShape[3])
        Bench.report("conv2d", ["model": c.model, "layer": c.layer, "layers": c.occurrences, "n": n, "cin": cin, "hw": "\(h)x\(w)",
                                "cout": c.weightShape[0], "k": "\(c.weightShape[2])x\(c.weightShape[3])", "stride": c.stride.0,
                                "out_hw": "\(c.outputShape[2])x\(c.outputShape[3])",
                                "fwd_ms": forward * 1e3, "fwd_gflops": forwardGFLOPs, "fwd_of_sgemm": forwardGFLOPs / sgemm,
                                "bwd_ms": backward * 1e3, "bwd_gflops": backwardGFLOPs, "bwd_of_sgemm": backwardGFLOPs / sgemm,
                                "sgemm_1024_gflops": sgemm])
        return (forward, backward)
    }

    /// Forward, cross-entropy and backward in training mode (no optimizer step: that is the
    /// `optim` suite), as images/s, with the median forward and backward times, and the share
    /// of the step the convolutions account for (from the per-shape timings, when they were
    /// taken at this batch size; slightly high, as those include the first layer's input
    /// gradient, which a model does not compute).
    static func trainingStep(_ setting: ModelSetting, convolutions: (forward: Double, backward: Double)?) {
        let model = setting.make()
        model.train()
        var generator = RandomGenerator(seed: 13)
        let images = Tensor.normal(setting.inputShape, generator: &generator)
        let labels = (0..<setting.batch).map { $0 % 2 }
        let fused = FusedModel(model)
        var forward: [Double] = [], backward: [Double] = [], step: [Double] = []
        for run in 0...setting.repeats {  // run 0 warms up
            let start = DispatchTime.now().uptimeNanoseconds
            let loss = crossEntropy(logits: fused(images), labels: labels)
            let middle = DispatchTime.now().uptimeNanoseconds
            loss.backward()
            model.zeroGradients()
            let end = DispatchTime.now().uptimeNanoseconds
            guard run > 0 else { continue }
            forward.append(Double(middle - start) * 1e-9)
            backward.append(Double(end - middle) * 1e-9)
            step.append(Double(end - start) * 1e-9)
        }
        let t = Bench.median(step)
        Bench.report("train_step", ["model": setting.name, "input": "\(setting.channels)x\(setting.size)x\(setting.size)",
                                    "batch": setting.batch, "steps": "fwd+ce+bwd", "ms": t * 1e3,
                                    "fwd_ms": Bench.median(forward) * 1e3, "bwd_ms": Bench.median(backward) * 1e3,
                                    "conv_share_est": share(convolutions.map { $0.forward + $0.backward }, of: t),
                                    "img_s": Double(setting.batch) / t,
                                    "pytorch_ref": setting.pytorchTrain, "pytorch_ref_source": "issue(not-this-run)",
                                    "of_pytorch_ref": Double(setting.batch) / t / referenceMidpoint(setting.pytorchTrain),
                                    "peak_rss_mib": Bench.peakResidentMiB()])
    }

    /// Eval-mode forward passes without the tape, as images/s, with the convolutions' share.
    static func inference(_ setting: ModelSetting, convolutions: (forward: Double, backward: Double)?) {
        let model = setting.make().fusedForInference()
        var generator = RandomGenerator(seed: 14)
        let images = Tensor.normal(setting.inputShape, generator: &generator)
        let t = Bench.seconds(repeats: setting.repeats) { blackHole(model(images)) }
        Bench.report("inference", ["model": setting.name, "input": "\(setting.channels)x\(setting.size)x\(setting.size)",
                                   "batch": setting.batch, "ms": t * 1e3,
                                   "conv_share_est": share(convolutions?.forward, of: t), "img_s": Double(setting.batch) / t,
                                   "pytorch_ref": setting.pytorchInference, "pytorch_ref_source": "issue(not-this-run)",
                                   "of_pytorch_ref": Double(setting.batch) / t / referenceMidpoint(setting.pytorchInference),
                                   "peak_rss_mib": Bench.peakResidentMiB()])
    }

    /// `part / whole` for the report, or `n/a` when the part was not measured.
    static func share(_ part: Double?, of whole: Double) -> Any {
        guard let part else { return "n/a" }
        return part / whole
    }

    /// The middle of a quoted range such as "80-100" (or the single value).
    static func referenceMidpoint(_ quoted: String) -> Double {
        let values = quoted.split(separator: "-").compactMap { Double($0) }
        return values.reduce(0, +) / Double(max(values.count, 1))
    }
}

extension Bench {
    /// The median of timing samples.
    static func median(_ samples: [Double]) -> Double { samples.sorted()[samples.count / 2] }

    /// Seconds taken by one call of `body` (for runs too long to repeat many times, timed in
    /// alternation with others).
    static func elapsed(_ body: () -> Void) -> Double {
        let start = DispatchTime.now().uptimeNanoseconds
        body()
        return Double(DispatchTime.now().uptimeNanoseconds - start) * 1e-9
    }

    /// Seconds per call of `body` on a value made by `setup`, untimed: the median of `repeats`
    /// runs after one warm-up, each run timing enough calls to last `minimumSeconds`. For work
    /// that consumes its input, such as a backward pass that releases its graph.
    static func seconds<Input>(repeats: Int = 5, minimumSeconds: Double = 0.05, setup: () -> Input,
                               _ body: (Input) -> Void) -> Double {
        func time(_ iterations: Int) -> Double {
            let inputs = (0..<iterations).map { _ in setup() }
            let start = DispatchTime.now().uptimeNanoseconds
            for input in inputs { body(input) }
            return Double(DispatchTime.now().uptimeNanoseconds - start) * 1e-9
        }
        _ = time(1)
        var iterations = 1
        var samples: [Double] = []
        while true {
            let t = time(iterations)
            if t >= minimumSeconds || iterations >= 1 << 10 {
                samples.append(t / Double(iterations))
                break
            }
            iterations *= 2
        }
        for _ in 1..<repeats { samples.append(time(iterations) / Double(iterations)) }
        return samples.sorted()[samples.count / 2]
    }
}
