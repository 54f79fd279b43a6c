import Foundation
import Layers
import Optim
import Tensor

/// Optimizer benchmarks: one Adam step and one SGD-momentum step over the parameters of
/// ResNet-18 (the real shapes: 1 input channel, 2 classes, 11.2 M scalars in 62 tensors), as
/// GB/s of parameter, gradient and state traffic, against a plain fused loop over raw pointers
/// with the same arithmetic, run with the optimizer's threading (`Parallel.forEachChunk` per
/// tensor, same minimum chunk) and, for reference, on one thread.
enum OptimBenchmarks {
    static func run() {
        let model = ResNet.resnet18(inputChannels: 1, classCount: 2, seed: 0)
        let parameters = model.parameters
        var generator = RandomGenerator(seed: 21)
        for parameter in parameters { parameter.grad = Tensor.normal(parameter.shape, standardDeviation: 0.01, generator: &generator) }
        let shapes = parameters.map(\.shape)

        // Adam: reads parameter, gradient, both moments; writes parameter and both moments.
        let adam = Adam(parameters: parameters, learningRate: 1e-3)
        compare("adam_step", optimizer: adam, shapes: shapes, stateCount: 2, accessesPerElement: 7) { slot, range, step in
            adamLoop(slot, range: range, step: step)
        }
        // SGD with momentum: reads parameter, gradient, momentum; writes parameter and momentum.
        let sgd = SGD(parameters: parameters, learningRate: 1e-2, momentum: 0.9)
        compare("sgd_momentum_step", optimizer: sgd, shapes: shapes, stateCount: 1, accessesPerElement: 5) { slot, range, _ in
            sgdLoop(slot, range: range)
        }
    }

    /// Raw buffers standing for one parameter, its gradient and its state buffers.
    struct RawSlot {
        let count: Int
        let parameter: UnsafeMutablePointer<Float>
        let gradient: UnsafeMutablePointer<Float>
        let state0: UnsafeMutablePointer<Float>
        let state1: UnsafeMutablePointer<Float>

        init(count: Int, generator: inout RandomGenerator) {
            self.count = count
            func buffer(_ fill: (inout RandomGenerator) -> Float) -> UnsafeMutablePointer<Float> {
                let p = UnsafeMutablePointer<Float>.allocate(capacity: max(count, 1))
                for i in 0..<count { p[i] = fill(&generator) }
                return p
            }
            parameter = buffer { 0.1 * ($0.nextUnitFloat() - 0.5) }
            gradient = buffer { 0.01 * ($0.nextUnitFloat() - 0.5) }
            state0 = buffer { _ in 0 }
            state1 = buffer { _ in 0 }
        }

        func deallocate() { [parameter, gradient, state0, state1].forEach { $0.deallocate() } }
    }

    /// Times `optimizer.step()` against `loop` over raw slots of the same shapes, with the same
    /// threading and on one thread.
    static func compare(_ name: String, optimizer: Optimizer, shapes: [[Int]], stateCount: Int, accessesPerElement: Int,
                        loop: (RawSlot, Range<Int>, Int) -> Void) {
        var generator = RandomGenerator(seed: 22)
        let slots = shapes.map { RawSlot(count: Shape.count(of: $0), generator: &generator) }
        defer { slots.forEach { $0.deallocate() } }
        let elements = slots.reduce(0) { $0 + $1.count }
        let bytes = Double(accessesPerElement * MemoryLayout<Float>.size * elements)

        // The warm-up call of each timing allocates the optimizer state (PyTorch's lazy state).
        let fathom = Bench.seconds(repeats: 9, minimumSeconds: 0.1) { optimizer.step() }
        var step = 0
        let threaded = Bench.seconds(repeats: 9, minimumSeconds: 0.1) {
            step += 1
            for slot in slots {
                Parallel.forEachChunk(count: slot.count, minimumChunk: minimumChunk) { range in loop(slot, range, step) }
            }
        }
        let single = Bench.seconds(repeats: 9, minimumSeconds: 0.1) {
            step += 1
            for slot in slots { loop(slot, 0..<slot.count, step) }
        }
        Bench.report(name, ["tensors": slots.count, "elements": elements, "state_buffers": stateCount,
                            "mb_per_step": bytes / 1e6, "fathom_ms": fathom * 1e3, "fathom_gbps": bytes / fathom * 1e-9,
                            "loop_gbps": bytes / threaded * 1e-9, "ratio": threaded / fathom,
                            "loop_1t_gbps": bytes / single * 1e-9,
                            "baseline": "fused-scalar-loop,Parallel.forEachChunk-per-tensor(min-chunk-\(minimumChunk))"])
    }

    /// The optimizers' minimum chunk per thread (`ParameterOptimizer.minimumChunk`).
    static let minimumChunk = 1 << 14

    /// Adam (no weight decay, no AMSGrad) with PyTorch's placement of the bias corrections,
    /// as `AdamRule` computes it, in one pass.
    static func adamLoop(_ s: RawSlot, range: Range<Int>, step: Int) {
        let (learningRate, beta1, beta2, epsilon): (Float, Float, Float, Float) = (1e-3, 0.9, 0.999, 1e-8)
        let stepSize = Float(Double(learningRate) / (1 - pow(Double(beta1), Double(step))))
        let correction2 = Float((1 - pow(Double(beta2), Double(step))).squareRoot())
        let (p, g, m, v) = (s.parameter, s.gradient, s.state0, s.state1)
        for i in range {
            let gi = g[i]
            let first = m[i] + (1 - beta1) * (gi - m[i])
            let second = v[i] * beta2 + (1 - beta2) * gi * gi
            m[i] = first
            v[i] = second
            // `abs` (a no-op here: second ≥ 0) spares the libm errno path of a plain square root,
            // which would make this baseline needlessly slow.
            p[i] -= stepSize * (first / (abs(second).squareRoot() / correction2 + epsilon))
        }
    }

    /// SGD with momentum 0.9, no dampening: `b ← μb + g`, `θ ← θ − γb`.
    static func sgdLoop(_ s: RawSlot, range: Range<Int>) {
        let (learningRate, momentum): (Float, Float) = (1e-2, 0.9)
        let (p, g, b) = (s.parameter, s.gradient, s.state0)
        for i in range {
            let velocity = momentum * b[i] + g[i]
            b[i] = velocity
            p[i] -= learningRate * velocity
        }
    }
}
