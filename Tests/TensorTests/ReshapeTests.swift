import FathomTestSupport
import Testing
import Tensor

/// reshaped, flattened, squeezed, unsqueezed: shapes, shared storage and gradients.
@Suite struct ReshapeTests {
    let x = Tensor(shape: [2, 3, 4], scalars: (0..<24).map(Float.init))

    @Test func reshapeKeepsRowMajorOrder() {
        let y = x.reshaped(to: [4, 6])
        #expect(y.shape == [4, 6])
        #expect(y.scalars == x.scalars)
        #expect(y[1, 0] == 6)
        // Reshaping never copies.
        #expect(y.sharesStorage(with: x))
    }

    @Test func reshapeInfersOneDimension() {
        #expect(x.reshaped(to: [-1]).shape == [24])
        #expect(x.reshaped(to: [3, -1]).shape == [3, 8])
        #expect(x.reshaped(to: [-1, 2, 2]).shape == [6, 2, 2])
        #expect(x.reshaped(to: [2, 3, 4, -1]).shape == [2, 3, 4, 1])
        #expect(Tensor.zeros([0, 3]).reshaped(to: [-1, 3]).shape == [0, 3])
        #expect(Tensor.zeros([0, 3]).reshaped(to: [3, 0, 5]).shape == [3, 0, 5])
        #expect(Tensor(Float(5)).reshaped(to: [1, 1]).shape == [1, 1])
        #expect(Tensor([5]).reshaped(to: []).scalar == 5)
    }

    @Test func flatten() {
        #expect(x.flattened().shape == [24])
        #expect(x.flattened(startAxis: 1).shape == [2, 12])
        #expect(x.flattened(startAxis: 0, endAxis: 1).shape == [6, 4])
        #expect(x.flattened(startAxis: -2, endAxis: -1).shape == [2, 12])
        #expect(x.flattened(startAxis: 1, endAxis: 1).shape == [2, 3, 4])
        #expect(Tensor(Float(2)).flattened().shape == [1])
        #expect(x.flattened().scalars == x.scalars)
    }

    @Test func squeezeAndUnsqueeze() {
        let t = Tensor.zeros([1, 3, 1, 2])
        #expect(t.squeezed().shape == [3, 2])
        #expect(t.squeezed(axes: [0]).shape == [3, 1, 2])
        #expect(t.squeezed(axes: [-2]).shape == [1, 3, 2])
        #expect(t.squeezed(axes: [0, 2]).shape == [3, 2])
        #expect(Tensor.zeros([1, 1]).squeezed().shape == [])
        #expect(Tensor.zeros([3]).squeezed().shape == [3])
        #expect(Tensor.zeros([0, 1]).squeezed().shape == [0])

        let v = Tensor([1, 2, 3])
        #expect(v.unsqueezed(at: 0).shape == [1, 3])
        #expect(v.unsqueezed(at: 1).shape == [3, 1])
        #expect(v.unsqueezed(at: -1).shape == [3, 1])
        #expect(v.unsqueezed(at: -2).shape == [1, 3])
        #expect(Tensor(Float(1)).unsqueezed(at: 0).shape == [1])
        #expect(v.unsqueezed(at: 1).scalars == [1, 2, 3])
    }

    @Test func gradients() {
        let t = seededUniform([2, 3, 4], seed: 81)
        checkGradient(of: { $0.reshaped(to: [4, -1]) }, at: t)
        checkGradient(of: { $0.flattened(startAxis: 1) }, at: t)
        checkGradient(of: { $0.unsqueezed(at: 1).squeezed() }, at: t)
        // Reshape inside a longer chain: the gradient is restored to the input's shape.
        checkGradient(of: { ($0.reshaped(to: [6, 4]) * Tensor([1, 2, 3, 4])).reshaped(to: [-1]) }, at: t)
    }

    @Test func writingAReshapedCopyLeavesTheOriginal() {
        var y = x.reshaped(to: [24])
        y[0] = 100
        #expect(y[0] == 100)
        #expect(x[0, 0, 0] == 0)
        #expect(!y.sharesStorage(with: x))
    }
}
