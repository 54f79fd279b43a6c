import Foundation
import Tensor

/// Tensor-module benchmarks: elementwise and reduction bandwidth against plain pointer loops,
/// and an MLP step. (Matrix products: the `gemm` suite, ``GEMMBenchmarks``.)
enum TensorBenchmarks {
    static func run() {
        elementwise()
        mlp()
    }

    static func elementwise() {
        let n = 4 << 20
        var generator = RandomGenerator(seed: 2)
        let x = Tensor.uniform([n], low: -1, high: 1, generator: &generator)
        let y = Tensor.uniform([n], low: -1, high: 1, generator: &generator)
        var out = [Float](repeating: 0, count: n)
        let bytes3 = Double(3 * n * 4), bytes2 = Double(2 * n * 4)

        func compare(_ name: String, bytes: Double, fathom: () -> Void, plain: () -> Void) {
            let tf = Bench.seconds(fathom), tp = Bench.seconds(plain)
            Bench.report(name, ["elements": n, "fathom_gbps": bytes / tf * 1e-9, "loop_gbps": bytes / tp * 1e-9,
                                "ratio": tp / tf])
        }
        x.withUnsafeBufferPointer { px in
            y.withUnsafeBufferPointer { py in
                let px = px.baseAddress!, py = py.baseAddress!
                compare("add", bytes: bytes3, fathom: { blackHole(x + y) }) {
                    out.withUnsafeMutableBufferPointer { o in for i in 0..<n { o[i] = px[i] + py[i] } }
                }
                compare("mul", bytes: bytes3, fathom: { blackHole(x * y) }) {
                    out.withUnsafeMutableBufferPointer { o in for i in 0..<n { o[i] = px[i] * py[i] } }
                }
                compare("exp", bytes: bytes2, fathom: { blackHole(x.exp()) }) {
                    out.withUnsafeMutableBufferPointer { o in for i in 0..<n { o[i] = Foundation.exp(px[i]) } }
                }
                compare("sum", bytes: Double(n * 4), fathom: { blackHole(x.sum()) }) {
                    var s0: Float = 0, s1: Float = 0, s2: Float = 0, s3: Float = 0
                    var i = 0
                    while i + 4 <= n { s0 += px[i]; s1 += px[i + 1]; s2 += px[i + 2]; s3 += px[i + 3]; i += 4 }
                    blackHole(s0 + s1 + s2 + s3)
                }
            }
        }
    }

    /// Forward and backward of a 2-layer MLP (784-512-10, batch 256) on the tape.
    static func mlp() {
        var generator = RandomGenerator(seed: 3)
        let batch = 256
        let x = Tensor.uniform([batch, 784], generator: &generator)
        let w1 = Parameter(Tensor.normal([784, 512], standardDeviation: 0.05, generator: &generator))
        let w2 = Parameter(Tensor.normal([512, 10], standardDeviation: 0.05, generator: &generator))
        let t = Bench.seconds {
            let h = x.matmul(w1.value).relu()
            let loss = h.matmul(w2.value).logSoftmax(alongAxis: 1).mean()
            loss.backward()
            w1.zeroGradient(); w2.zeroGradient()
        }
        let flops = 3 * 2 * Double(batch) * (784 * 512 + 512 * 10)
        Bench.report("mlp_train_step", ["batch": batch, "ms": t * 1e3, "gflops": flops / t * 1e-9,
                                        "samples_per_s": Double(batch) / t])
    }
}
