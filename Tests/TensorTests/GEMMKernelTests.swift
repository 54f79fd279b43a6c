import Foundation
import Testing
import Tensor

/// Fathom's GEMM micro-kernels, each instruction-set path against a Double reference: odd and
/// prime sizes from 1 to 257 in every combination, both transposes, leading dimensions wider
/// than the matrices, alpha and beta, and products that span several cache blocks. A path the
/// CPU cannot run is reported by Swift Testing as skipped with "not run on this CPU".
@Suite("GEMM micro-kernels per instruction set")
struct GEMMKernelTests {
    @Test(.enabled(if: GEMM.InstructionSet.generic.isSupported, "generic: not run on this CPU"))
    func generic() { checkPath(.generic) }

    @Test(.enabled(if: GEMM.InstructionSet.avx2.isSupported, "AVX2+FMA: not run on this CPU"))
    func avx2() { checkPath(.avx2) }

    @Test(.enabled(if: GEMM.InstructionSet.avx512.isSupported, "AVX-512F: not run on this CPU"))
    func avx512() { checkPath(.avx512) }

    @Test func theActivePathIsSupportedAndNamed() {
        let path = GEMM.instructionSet
        #expect(path.isSupported)
        // With FATHOM_ISA unset or valid the override reports nothing; the widest path runs by default.
        let requested = ProcessInfo.processInfo.environment["FATHOM_ISA"]
        if requested == nil || requested == "" {
            #expect(path == GEMM.InstructionSet.allCases.last(where: \.isSupported))
            #expect(GEMM.instructionSetOverrideProblem == nil)
        } else if let forced = GEMM.InstructionSet(rawValue: requested!), forced.isSupported {
            #expect(path == forced)
        }
        let tile = path.tile, blocks = path.blocking
        #expect(tile.rows > 0 && tile.columns > 0)
        #expect(blocks.depth > 0 && blocks.rows % tile.rows == 0 && blocks.columns % tile.columns == 0)
    }

    /// Sizes that hit full tiles, edge tiles of every width, and single rows and columns.
    static let sizes = [1, 2, 3, 5, 7, 8, 13, 16, 17, 31, 32, 33, 64, 97, 127, 257]

    func checkPath(_ path: GEMM.InstructionSet) {
        var generator = RandomGenerator(seed: 2026)
        var failures = 0, cases = 0
        for (index, shape) in shapes().enumerated() {
            // Cycle the scalars and the padding so that every combination meets many shapes.
            let alpha: Float = [1, -0.75, 2][index % 3]
            let beta: Float = [0, 1, 0.5, -2][(index / 3) % 4]
            let padding = [0, 3, 1][(index / 2) % 3]
            for transposingA in [false, true] {
                for transposingB in [false, true] {
                    cases += 1
                    if !Self.matchesReference(path, m: shape.m, n: shape.n, k: shape.k, transposingA: transposingA,
                                              transposingB: transposingB, alpha: alpha, beta: beta, padding: padding,
                                              generator: &generator) {
                        failures += 1
                        if failures <= 5 {
                            Issue.record("\(path): m \(shape.m) n \(shape.n) k \(shape.k) transposes \(transposingA)/\(transposingB) alpha \(alpha) beta \(beta) padding \(padding)")
                        }
                    }
                }
            }
        }
        #expect(failures == 0, "\(failures) of \(cases) products differ from the Double reference on \(path)")
    }

    /// Every combination of three sizes from ``sizes`` (sparser at the large end), plus
    /// products deeper, taller and wider than one cache block of the path.
    func shapes() -> [(m: Int, n: Int, k: Int)] {
        let small = Self.sizes.filter { $0 <= 64 }
        var shapes: [(Int, Int, Int)] = []
        for m in Self.sizes { for n in Self.sizes { for k in small { shapes.append((m, n, k)) } } }
        for m in [1, 31, 97, 257] { for n in [5, 64, 257] { for k in [127, 257] { shapes.append((m, n, k)) } } }
        shapes += [(3, 5, 1300), (1000, 37, 70), (17, 4200, 9), (130, 70, 600)]
        return shapes
    }

    /// One product against a Double triple loop, with C's padding checked untouched and, for
    /// beta = 0, C filled with NaN first (it must be written without being read).
    static func matchesReference(_ path: GEMM.InstructionSet, m: Int, n: Int, k: Int, transposingA: Bool, transposingB: Bool,
                                 alpha: Float, beta: Float, padding: Int, generator: inout RandomGenerator) -> Bool {
        let lda = (transposingA ? m : k) + padding, ldb = (transposingB ? k : n) + padding, ldc = n + padding
        let a = (0..<((transposingA ? k : m) * lda)).map { _ in Float.random(in: -1...1, using: &generator) }
        let b = (0..<((transposingB ? n : k) * ldb)).map { _ in Float.random(in: -1...1, using: &generator) }
        let sentinel: Float = 1234.5
        var c = (0..<(m * ldc)).map { index -> Float in
            if index % ldc >= n { return sentinel }
            return beta == 0 ? .nan : Float.random(in: -1...1, using: &generator)
        }
        var expected = [Double](repeating: 0, count: m * n), bound = [Double](repeating: 0, count: m * n)
        for i in 0..<m {
            for j in 0..<n {
                var sum = 0.0, magnitude = 0.0
                for p in 0..<k {
                    let x = Double(transposingA ? a[p * lda + i] : a[i * lda + p])
                    let y = Double(transposingB ? b[j * ldb + p] : b[p * ldb + j])
                    sum += x * y
                    magnitude += abs(x * y)
                }
                let old = beta == 0 ? 0 : Double(c[i * ldc + j])
                expected[i * n + j] = Double(alpha) * sum + Double(beta) * old
                // Float rounding of a k-term sum and of the final scaling, with room to spare.
                bound[i * n + j] = Double(Float.ulpOfOne) * (Double(k + 4) * abs(Double(alpha)) * magnitude + 4 * abs(Double(beta) * old)) + 1e-30
            }
        }
        a.withUnsafeBufferPointer { pa in
            b.withUnsafeBufferPointer { pb in
                c.withUnsafeMutableBufferPointer { pc in
                    GEMM.multiply(pa.baseAddress!, transposingA: transposingA, pb.baseAddress!, transposingB: transposingB,
                                  into: pc.baseAddress!, m: m, n: n, k: k, alpha: alpha, beta: beta,
                                  lda: lda, ldb: ldb, ldc: ldc, path: path)
                }
            }
        }
        for i in 0..<m {
            for j in 0..<ldc {
                let value = c[i * ldc + j]
                if j >= n {
                    if value != sentinel { return false }
                } else if !(abs(Double(value) - expected[i * n + j]) <= bound[i * n + j]) {
                    return false
                }
            }
        }
        return true
    }
}
