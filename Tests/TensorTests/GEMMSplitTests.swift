import Foundation
import Tensor
import Testing

/// Large products are split into row or column blocks across the cores (``GEMM``); nested
/// parallel loops run inline (``Parallel``). Results must match a plain Double reference for
/// every transpose and for sizes that are not multiples of the block.
@Suite("GEMM splitting and nested parallel loops")
struct GEMMSplitTests {
    /// `op(a) · op(b)` by the definition, accumulated in Double.
    static func reference(_ a: Tensor, _ b: Tensor, _ ta: Bool, _ tb: Bool) -> [Double] {
        let (ar, ac) = (a.shape[0], a.shape[1]), (br, bc) = (b.shape[0], b.shape[1])
        let (m, k, n) = (ta ? ac : ar, ta ? ar : ac, tb ? br : bc)
        let (x, y) = (a.scalars, b.scalars)
        var c = [Double](repeating: 0, count: m * n)
        for i in 0..<m {
            for j in 0..<n {
                var total = 0.0
                for p in 0..<k {
                    let u = ta ? x[p * ac + i] : x[i * ac + p]
                    let v = tb ? y[j * bc + p] : y[p * bc + j]
                    total += Double(u) * Double(v)
                }
                c[i * n + j] = total
            }
        }
        return c
    }

    @Test("split products equal the reference (tall and wide, every transpose)",
          arguments: [(133, 37, 263), (37, 133, 263), (300, 300, 31)], [(false, false), (true, false), (false, true), (true, true)])
    func matchesReference(size: (Int, Int, Int), transposes: (Bool, Bool)) {
        let (m, n, k) = size, (ta, tb) = transposes
        #expect(2 * m * n * k >= GEMM.parallelFLOPs, "the case must be large enough to be split")
        var generator = RandomGenerator(seed: UInt64(m + n + k))
        let a = Tensor.uniform(ta ? [k, m] : [m, k], low: -1, high: 1, generator: &generator)
        let b = Tensor.uniform(tb ? [n, k] : [k, n], low: -1, high: 1, generator: &generator)
        let c = Tensor.matmul(a, b, transposingA: ta, transposingB: tb)
        #expect(c.shape == [m, n])
        let expected = Self.reference(a, b, ta, tb)
        let worst = zip(c.scalars, expected).map { abs(Double($0) - $1) }.max() ?? .nan
        #expect(worst <= 1e-3, "largest error \(worst)")
    }

    @Test("a split product inside a parallel chunk runs inline and gives the same result")
    func nestedProducts() {
        var generator = RandomGenerator(seed: 4)
        let a = Tensor.uniform([96, 200], low: -1, high: 1, generator: &generator)
        let b = Tensor.uniform([200, 120], low: -1, high: 1, generator: &generator)
        let outside = Tensor.matmul(a, b)
        let results = ResultBox(count: 4)
        #expect(!Parallel.isInsideChunk)
        Parallel.forEachChunk(count: 4, minimumChunk: 1) { range in
            for i in range {
                results.set(i, Tensor.matmul(a, b), inside: Parallel.isInsideChunk)
            }
        }
        #expect(!Parallel.isInsideChunk, "the marker is cleared after the loop")
        for i in 0..<4 {
            let (product, inside) = results.get(i)
            #expect(product?.isAlmostEqual(to: outside, tolerance: 0) == true)
            #expect(inside == (Parallel.coreCount > 1), "chunk \(i) ran as a worker chunk")
        }
    }

    @Test("a loop inside a chunk gets its whole range on the chunk's thread")
    func nestedLoopsRunInline() {
        guard Parallel.coreCount > 1 else {
            Issue.record("this machine has one core: nothing is split, so nesting cannot be observed")
            return
        }
        let ranges = ResultBox(count: 2)
        Parallel.forEachChunk(count: 2, minimumChunk: 1) { outer in
            for i in outer {
                var seen: [Range<Int>] = []
                Parallel.forEachChunk(count: 1 << 20, minimumChunk: 1) { seen.append($0) }  // not concurrent: inline
                ranges.set(i, Tensor(seen.flatMap { [Float($0.lowerBound), Float($0.upperBound)] }), inside: true)
            }
        }
        for i in 0..<2 { #expect(ranges.get(i).0?.scalars == [0, Float(1 << 20)]) }
    }
}

/// Results written by parallel chunks, one slot each, read after the loop.
final class ResultBox: @unchecked Sendable {
    private let lock = NSLock()
    private var slots: [(Tensor?, Bool)]  // guarded by `lock`
    init(count: Int) { slots = Array(repeating: (nil, false), count: count) }
    func set(_ i: Int, _ value: Tensor, inside: Bool) { lock.withLock { slots[i] = (value, inside) } }
    func get(_ i: Int) -> (Tensor?, Bool) { lock.withLock { slots[i] } }
}
