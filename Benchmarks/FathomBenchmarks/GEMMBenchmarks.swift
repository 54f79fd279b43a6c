import CBLAS
import Foundation
import Tensor

/// Fathom's GEMM on every instruction-set path this CPU supports, against `cblas_sgemm` with
/// OpenBLAS on all cores, on square products and on the shapes of ResNet-18's convolutions
/// (im2col at 224 px: forward `NN`, weight gradient `NT`, input gradient `TN`).
///
///   fathom-bench gemm                                  # every shape, every supported path
///   OPENBLAS_CORETYPE=Haswell fathom-bench gemm        # the OpenBLAS column with another kernel
///
/// One line per shape and side: `bench=gemm side=fathom isa=avx512 …` or
/// `bench=gemm side=openblas core=… …`, with GFLOP/s. `Benchmarks/compare/gemm.sh` runs it once
/// per OpenBLAS kernel and PyTorch's `torch.mm` (MKL) beside it, and prints the table.
enum GEMMBenchmarks {
    /// A product to time: op(A) m×k times op(B) k×n.
    struct Shape {
        let name: String
        let m: Int, n: Int, k: Int
        let transposingA: Bool, transposingB: Bool
    }

    /// Squares, then ResNet-18's layers at 224 px (one image, or the images Fathom blocks
    /// together on small maps: 2 at 14×14, 10 at 7×7), then its classifier's backward product.
    static let shapes: [Shape] = [256, 512, 1024, 2048, 4096].map { Shape(name: "square", m: $0, n: $0, k: $0, transposingA: false, transposingB: false) } + [
        Shape(name: "stem_fwd", m: 64, n: 12544, k: 147, transposingA: false, transposingB: false),
        Shape(name: "layer1_fwd", m: 64, n: 3136, k: 576, transposingA: false, transposingB: false),
        Shape(name: "layer1_wgrad", m: 64, n: 576, k: 3136, transposingA: false, transposingB: true),
        Shape(name: "layer1_igrad", m: 576, n: 3136, k: 64, transposingA: true, transposingB: false),
        Shape(name: "layer2_fwd", m: 128, n: 784, k: 1152, transposingA: false, transposingB: false),
        Shape(name: "layer2_wgrad", m: 128, n: 1152, k: 784, transposingA: false, transposingB: true),
        Shape(name: "layer2_igrad", m: 1152, n: 784, k: 128, transposingA: true, transposingB: false),
        Shape(name: "layer3_fwd", m: 256, n: 392, k: 2304, transposingA: false, transposingB: false),
        Shape(name: "layer4_fwd", m: 512, n: 490, k: 4608, transposingA: false, transposingB: false),
        Shape(name: "layer4_wgrad", m: 512, n: 4608, k: 490, transposingA: false, transposingB: true),
        Shape(name: "layer4_igrad", m: 4608, n: 490, k: 512, transposingA: true, transposingB: false),
        Shape(name: "fc_grad", m: 32, n: 512, k: 1000, transposingA: false, transposingB: false),
    ]

    static func run() {
        let paths = GEMM.InstructionSet.allCases.filter(\.isSupported)
        let core = ProcessInfo.processInfo.environment["OPENBLAS_CORETYPE"] ?? "default"
        var generator = RandomGenerator(seed: 1)
        for shape in shapes {
            let (m, n, k) = (shape.m, shape.n, shape.k)
            let a = Tensor.uniform([m * k], generator: &generator), b = Tensor.uniform([k * n], generator: &generator)
            var c = [Float](repeating: 0, count: m * n)
            let flops = 2 * Double(m) * Double(n) * Double(k)
            let transposes = (shape.transposingA ? "T" : "N") + (shape.transposingB ? "T" : "N")
            func line(_ side: [(String, Any)], seconds: Double) {
                Bench.report("gemm", fields: [("shape", shape.name), ("m", m), ("n", n), ("k", k), ("op", transposes)] + side
                             + [("gflops", flops / seconds * 1e-9)])
            }
            a.withUnsafeBufferPointer { pa in
                b.withUnsafeBufferPointer { pb in
                    c.withUnsafeMutableBufferPointer { pc in
                        let pa = pa.baseAddress!, pb = pb.baseAddress!, pc = pc.baseAddress!
                        let lda = shape.transposingA ? m : k, ldb = shape.transposingB ? k : n
                        let openBLAS = Bench.withOpenBLASOnAllCores {
                            Bench.seconds {
                                cblas_sgemm(CblasRowMajor, shape.transposingA ? CblasTrans : CblasNoTrans,
                                            shape.transposingB ? CblasTrans : CblasNoTrans, Int32(m), Int32(n), Int32(k), 1,
                                            pa, Int32(lda), pb, Int32(ldb), 0, pc, Int32(n))
                            }
                        }
                        line([("side", "openblas"), ("core", core)], seconds: openBLAS)
                        for path in paths {
                            let seconds = Bench.seconds {
                                GEMM.multiply(pa, transposingA: shape.transposingA, pb, transposingB: shape.transposingB,
                                              into: pc, m: m, n: n, k: k, path: path)
                            }
                            line([("side", "fathom"), ("isa", path.rawValue)], seconds: seconds)
                        }
                    }
                }
            }
        }
    }
}
