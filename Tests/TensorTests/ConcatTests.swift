import FathomTestSupport
import Testing
import Tensor

/// concatenate, stack and split: values along every axis, size-0 pieces, round trips and
/// gradients.
@Suite struct ConcatTests {
    let a = Tensor(shape: [2, 2], scalars: [1, 2, 3, 4])
    let b = Tensor(shape: [2, 1], scalars: [5, 6])
    let c = Tensor(shape: [1, 2], scalars: [7, 8])

    @Test func concatenateValues() {
        expectTensor(Tensor.concatenate([a, c]), shape: [3, 2], [1, 2, 3, 4, 7, 8])
        expectTensor(Tensor.concatenate([a, b], alongAxis: 1), shape: [2, 3], [1, 2, 5, 3, 4, 6])
        expectTensor(Tensor.concatenate([b, a, b], alongAxis: -1), shape: [2, 4], [5, 1, 2, 5, 6, 3, 4, 6])
        expectTensor(Tensor.concatenate([a]), a)
        // A size-0 piece contributes nothing.
        expectTensor(Tensor.concatenate([a, Tensor.zeros([0, 2]), c]), shape: [3, 2], [1, 2, 3, 4, 7, 8])
        #expect(Tensor.concatenate([Tensor.zeros([0, 2]), Tensor.zeros([0, 2])]).shape == [0, 2])
        expectTensor(Tensor.concatenate([Tensor([1]), Tensor([2, 3])]), shape: [3], [1, 2, 3])
    }

    @Test func stackValues() {
        let x = Tensor([1, 2, 3]), y = Tensor([4, 5, 6])
        expectTensor(Tensor.stack([x, y]), shape: [2, 3], [1, 2, 3, 4, 5, 6])
        expectTensor(Tensor.stack([x, y], alongAxis: 1), shape: [3, 2], [1, 4, 2, 5, 3, 6])
        expectTensor(Tensor.stack([x, y], alongAxis: -1), shape: [3, 2], [1, 4, 2, 5, 3, 6])
        expectTensor(Tensor.stack([Tensor(Float(1)), Tensor(Float(2))]), shape: [2], [1, 2])
        expectTensor(Tensor.stack([a, a], alongAxis: 1), shape: [2, 2, 2], [1, 2, 1, 2, 3, 4, 3, 4])
    }

    @Test func splitValues() {
        let m = Tensor(shape: [2, 5], scalars: (0..<10).map(Float.init))
        let parts = m.split(sizes: [2, 0, 3], alongAxis: 1)
        #expect(parts.map(\.shape) == [[2, 2], [2, 0], [2, 3]])
        expectTensor(parts[0], shape: [2, 2], [0, 1, 5, 6])
        expectTensor(parts[2], shape: [2, 3], [2, 3, 4, 7, 8, 9])
        let halves = m.split(count: 2, alongAxis: 0)
        expectTensor(halves[1], shape: [1, 5], [5, 6, 7, 8, 9])
        let fifths = m.split(count: 5, alongAxis: -1)
        #expect(fifths.count == 5)
        expectTensor(fifths[4], shape: [2, 1], [4, 9])
        // Split then concatenate is the identity.
        expectTensor(Tensor.concatenate(parts, alongAxis: 1), m)
        expectTensor(Tensor.concatenate(fifths, alongAxis: -1), m)
    }

    @Test func gradients() {
        checkGradients(of: { Tensor.concatenate($0, alongAxis: 1) },
                           at: [seededUniform([2, 3], seed: 101), seededUniform([2, 1], seed: 102), seededUniform([2, 2], seed: 103)])
        checkGradients(of: { Tensor.concatenate($0, alongAxis: 0) },
                           at: [seededUniform([1, 3], seed: 104), seededUniform([2, 3], seed: 105)])
        checkGradients(of: { Tensor.stack($0, alongAxis: 1) },
                           at: [seededUniform([2, 3], seed: 106), seededUniform([2, 3], seed: 107)])
        // Each piece of a split feeds a different function.
        checkGradient(of: { x in
            let p = x.split(sizes: [1, 3], alongAxis: 1)
            return Tensor.concatenate([p[1].exp(), p[0] * 3], alongAxis: 1)
        }, at: seededUniform([3, 4], seed: 108))
    }

    @Test func onlyPiecesThatRequireGradientsGetThem() throws {
        let x = Tensor([1, 2]).requiringGradient()
        let constant = Tensor([3])
        (Tensor.concatenate([constant, x]) * Tensor([10, 20, 30])).sum().backward()
        expectTensor(try #require(x.grad), shape: [2], [20, 30])
    }
}
