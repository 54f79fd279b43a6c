import FathomTestSupport
import Testing
import Tensor

/// NumPy broadcasting of the binary ops, checked against a naive per-element reference, and
/// its adjoint `sum(toShape:)`.
@Suite struct BroadcastingTests {
    /// The broadcast of `a` and `b` under `f`, by explicit index arithmetic (the reference).
    static func reference(_ a: Tensor, _ b: Tensor, _ f: (Float, Float) -> Float) -> Tensor {
        let rank = max(a.rank, b.rank)
        let sa = [Int](repeating: 1, count: rank - a.rank) + a.shape
        let sb = [Int](repeating: 1, count: rank - b.rank) + b.shape
        let shape = (0..<rank).map { sa[$0] == 1 ? sb[$0] : sa[$0] }
        let count = shape.reduce(1, *)
        let (va, vb) = (a.scalars, b.scalars)
        var out = [Float](repeating: 0, count: count)
        for flat in 0..<count {
            var rest = flat, offA = 0, offB = 0, strideA = 1, strideB = 1
            for axis in stride(from: rank - 1, through: 0, by: -1) {
                let i = rest % shape[axis]
                rest /= shape[axis]
                if sa[axis] != 1 { offA += i * strideA }
                if sb[axis] != 1 { offB += i * strideB }
                strideA *= sa[axis]
                strideB *= sb[axis]
            }
            out[flat] = f(va[offA], vb[offB])
        }
        return Tensor(shape: shape, scalars: out)
    }

    static let shapePairs: [([Int], [Int], [Int])] = [
        ([3, 1], [1, 4], [3, 4]),
        ([2, 3, 4], [4], [2, 3, 4]),
        ([2, 3, 4], [3, 1], [2, 3, 4]),
        ([2, 1, 4], [3, 1], [2, 3, 4]),
        ([2, 3, 1], [1, 3, 1], [2, 3, 1]),  // the innermost axis broadcast on both sides
        ([1], [5], [5]),
        ([], [2, 3], [2, 3]),
        ([2, 3], [], [2, 3]),
        ([1, 1], [], [1, 1]),
        ([4, 1, 1, 3], [1, 5, 2, 1], [4, 5, 2, 3]),
        ([0, 3], [3], [0, 3]),
        ([2, 0], [1], [2, 0]),
        ([1, 0], [3, 1], [3, 0]),
        ([0], [], [0]),
        ([700, 300], [300], [700, 300]),  // large enough to be split across cores
        ([700, 1], [1, 300], [700, 300]),
        ([100, 40, 30], [40, 1], [100, 40, 30]),  // the second core starts mid-odometer
    ]

    @Test(arguments: shapePairs)
    func binaryOpsMatchTheReference(_ shapeA: [Int], _ shapeB: [Int], _ expected: [Int]) {
        let a = seededUniform(shapeA, seed: 1)
        let b = seededUniform(shapeB, low: 0.5, high: 2, seed: 2)
        for (name, op, f) in [("+", { $0 + $1 }, { $0 + $1 }), ("-", { $0 - $1 }, { $0 - $1 }),
                              ("*", { $0 * $1 }, { $0 * $1 }), ("/", { $0 / $1 }, { $0 / $1 })]
            as [(String, (Tensor, Tensor) -> Tensor, (Float, Float) -> Float)] {
            let y = op(a, b)
            #expect(y.shape == expected, "\(shapeA) \(name) \(shapeB)")
            expectTensor(y, Self.reference(a, b, f))
            // And with the operands swapped.
            expectTensor(op(b, a), Self.reference(b, a, f))
        }
        expectTensor(Tensor.maximum(a, b), Self.reference(a, b, { max($0, $1) }))
        expectTensor(a .< b, Self.reference(a, b, { $0 < $1 ? 1 : 0 }))
    }

    @Test(arguments: shapePairs.filter { $0.2.reduce(1, *) > 0 && $0.2.reduce(1, *) < 100 })
    func binaryGradientsReduceToEachInputShape(_ shapeA: [Int], _ shapeB: [Int], _ expected: [Int]) {
        let a = seededUniform(shapeA, seed: 3)
        let b = seededUniform(shapeB, low: 0.5, high: 2, seed: 4)
        checkGradient(of: { $0 + $1 }, at: a, b)
        checkGradient(of: { $0 - $1 }, at: a, b)
        checkGradient(of: { $0 * $1 }, at: a, b)
        checkGradient(of: { $0 / $1 }, at: a, b)
    }

    @Test func sizeZeroGradientsHaveTheInputShape() throws {
        let a = Tensor.zeros([0, 3]).requiringGradient()
        let b = Tensor([1, 2, 3]).requiringGradient()
        let y = a * b
        #expect(y.shape == [0, 3])
        y.sum().backward()
        #expect(try #require(a.grad).shape == [0, 3])
        // Nothing multiplies b: its gradient is zero, not missing.
        expectTensor(try #require(b.grad), shape: [3], [0, 0, 0])
    }

    @Test func scalarOperandsOfEveryRank() {
        let m = Tensor(shape: [2, 2], scalars: [1, 2, 3, 4])
        expectTensor(m + Tensor(shape: [1, 1], scalars: [10]), shape: [2, 2], [11, 12, 13, 14])
        expectTensor(Tensor(shape: [1, 1, 1], scalars: [10]) - m, shape: [1, 2, 2], [9, 8, 7, 6])
        expectTensor(Tensor(Float(2)) * Tensor(Float(3)), shape: [], [6])
    }

    @Test func sumToShapeIsTheAdjointOfBroadcasting() {
        let x = Tensor(shape: [2, 3, 2], scalars: (0..<12).map(Float.init))
        // Sum over the leading axis and the middle axis kept as 1.
        expectTensor(x.sum(toShape: [3, 1]), shape: [3, 1], [0 + 1 + 6 + 7, 2 + 3 + 8 + 9, 4 + 5 + 10 + 11])
        expectTensor(x.sum(toShape: [1, 2]), shape: [1, 2], [30, 36])
        expectTensor(x.sum(toShape: [2]), shape: [2], [30, 36])
        expectTensor(x.sum(toShape: [2, 1, 1]), shape: [2, 1, 1], [15, 51])
        expectTensor(x.sum(toShape: []), shape: [], [66])
        expectTensor(x.sum(toShape: [2, 3, 2]), x)
        // An axis of size 0 summed to 1 gives zeros.
        expectTensor(Tensor.zeros([0, 2]).sum(toShape: [1, 2]), shape: [1, 2], [0, 0])
        checkGradient(of: { $0.sum(toShape: [3, 1]) }, at: seededUniform([2, 3, 2]))
    }

    @Test func shapeHelpers() {
        #expect(Shape.count(of: []) == 1)
        #expect(Shape.count(of: [2, 0, 3]) == 0)
        #expect(Shape.strides(of: [2, 3, 4]) == [12, 4, 1])
        #expect(Shape.strides(of: []) == [])
        #expect(Shape.normalize(axis: -1, rank: 3) == 2)
        #expect(Shape.normalize(axes: [-1, 0], rank: 3, op: "test") == [0, 2])
        #expect(Shape.normalize(axes: nil, rank: 3, op: "test") == [0, 1, 2])
        #expect(Shape.offset(of: [1, -1], in: [2, 3]) == 5)
        #expect(Shape.broadcastStrides(from: [3, 1], to: [2, 3, 4]) == [0, 1, 0])
    }

    @Test func broadcastingIsCommutativeInShape() {
        for (sa, sb, expected) in Self.shapePairs {
            #expect(Shape.broadcast(sa, sb, op: "test") == expected)
            #expect(Shape.broadcast(sb, sa, op: "test") == expected)
        }
    }
}
