import FathomTestSupport
import Testing
import Tensor

/// permuted, transposed and expanded against an index-arithmetic reference, with gradients.
@Suite struct PermuteTests {
    /// `x` with axes reordered so that result axis `i` is input axis `permutation[i]`.
    static func reference(_ x: Tensor, _ permutation: [Int]) -> Tensor {
        let shape = permutation.map { x.shape[$0] }
        let inStrides = Shape.strides(of: x.shape)
        let v = x.scalars
        var out = [Float](repeating: 0, count: v.count)
        for flat in 0..<v.count {
            var rest = flat, source = 0
            for axis in stride(from: shape.count - 1, through: 0, by: -1) {
                let i = rest % shape[axis]
                rest /= shape[axis]
                source += i * inStrides[permutation[axis]]
            }
            out[flat] = v[source]
        }
        return Tensor(shape: shape, scalars: out)
    }

    let x = Tensor(shape: [2, 3, 4], scalars: (0..<24).map(Float.init))

    @Test(arguments: [[0, 1, 2], [2, 0, 1], [1, 2, 0], [2, 1, 0], [0, 2, 1], [-1, 0, -2]])
    func permuteMatchesTheReference(_ permutation: [Int]) {
        let normalized = permutation.map { $0 < 0 ? $0 + 3 : $0 }
        expectTensor(x.permuted(permutation), Self.reference(x, normalized))
        checkGradient(of: { $0.permuted(permutation) }, at: seededUniform([2, 3, 4], seed: 82))
    }

    @Test func transpose() {
        let m = Tensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6])
        expectTensor(m.transposed(), shape: [3, 2], [1, 4, 2, 5, 3, 6])
        expectTensor(x.transposed(), Self.reference(x, [0, 2, 1]))
        expectTensor(x.transposed(0, 2), Self.reference(x, [2, 1, 0]))
        expectTensor(x.transposed(-3, 1), Self.reference(x, [1, 0, 2]))
        // Rank < 2 is returned as is.
        #expect(Tensor([1, 2]).transposed().shape == [2])
        #expect(Tensor.zeros([0, 3]).transposed().shape == [3, 0])
        checkGradient(of: { $0.transposed() }, at: seededUniform([3, 5], seed: 83))
    }

    @Test func expand() {
        let column = Tensor(shape: [3, 1], scalars: [1, 2, 3])
        expectTensor(column.expanded(to: [3, 2]), shape: [3, 2], [1, 1, 2, 2, 3, 3])
        expectTensor(column.expanded(to: [2, 3, 2]), shape: [2, 3, 2], [1, 1, 2, 2, 3, 3, 1, 1, 2, 2, 3, 3])
        expectTensor(Tensor(Float(7)).expanded(to: [2, 2]), shape: [2, 2], [7, 7, 7, 7])
        expectTensor(Tensor([1, 2]).expanded(as: Tensor.zeros([2, 2])), shape: [2, 2], [1, 2, 1, 2])
        #expect(column.expanded(to: [3, 0]).shape == [3, 0])
        #expect(column.expanded(to: [3, 1]).scalars == [1, 2, 3])
    }

    @Test func expandGradientSumsTheRepeats() throws {
        let row = Tensor(shape: [1, 3], scalars: [1, 2, 3]).requiringGradient()
        row.expanded(to: [4, 3]).sum().backward()
        expectTensor(try #require(row.grad), shape: [1, 3], [4, 4, 4])
        checkGradient(of: { $0.expanded(to: [2, 3, 4]) }, at: seededUniform([3, 1], seed: 84))
        checkGradient(of: { $0.expanded(to: [2, 2]) }, at: Tensor(Float(0.3)))
    }
}
