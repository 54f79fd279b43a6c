import FathomTestSupport
import Testing
import Tensor

/// Comparison masks and `where`: values with broadcasting, no gradient through masks, and
/// gradients routed to the side each element came from.
@Suite struct ComparisonTests {
    let a = Tensor([1, 2, 3, .nan])
    let b = Tensor([3, 2, 1, 1])

    @Test func tensorTensorMasks() {
        #expect((a .== b).scalars == [0, 1, 0, 0])
        #expect((a .!= b).scalars == [1, 0, 1, 1])  // NaN differs from everything
        #expect((a .< b).scalars == [1, 0, 0, 0])
        #expect((a .<= b).scalars == [1, 1, 0, 0])
        #expect((a .> b).scalars == [0, 0, 1, 0])
        #expect((a .>= b).scalars == [0, 1, 1, 0])
    }

    @Test func tensorScalarMasks() {
        #expect((a .== 2).scalars == [0, 1, 0, 0])
        #expect((a .!= 2).scalars == [1, 0, 1, 1])
        #expect((a .< 2).scalars == [1, 0, 0, 0])
        #expect((a .<= 2).scalars == [1, 1, 0, 0])
        #expect((a .> 2).scalars == [0, 0, 1, 0])
        #expect((a .>= 2).scalars == [0, 1, 1, 0])
    }

    @Test func masksBroadcastAndCarryNoGradient() {
        let column = Tensor(shape: [3, 1], scalars: [1, 2, 3]).requiringGradient()
        let row = Tensor([2, 3])
        let mask = column .< row
        #expect(mask.shape == [3, 2])
        #expect(mask.scalars == [1, 1, 0, 1, 0, 0])
        #expect(mask.requiresGradient == false)
        #expect((Tensor.zeros([0, 2]) .> row).shape == [0, 2])
    }

    @Test func whereSelectsAndBroadcasts() {
        let condition = Tensor([1, 0, 2, 0])  // any nonzero counts as true
        let y = Tensor.where(condition, Tensor([10, 20, 30, 40]), Tensor([-1, -2, -3, -4]))
        #expect(y.scalars == [10, -2, 30, -4])
        // Condition [2, 1], a [1, 3], b scalar → [2, 3].
        let z = Tensor.where(Tensor(shape: [2, 1], scalars: [0, 1]), Tensor(shape: [1, 3], scalars: [1, 2, 3]), Tensor(Float(9)))
        #expect(z.shape == [2, 3])
        #expect(z.scalars == [9, 9, 9, 1, 2, 3])
        // An empty condition gives an empty result.
        #expect(Tensor.where(Tensor.zeros([0, 3]), Tensor([1, 2, 3]), Tensor(Float(0))).shape == [0, 3])
    }

    @Test func whereRoutesGradients() throws {
        let condition = Tensor(shape: [2, 1], scalars: [1, 0])
        let x = Tensor(shape: [1, 3], scalars: [1, 2, 3]).requiringGradient()
        let y = Tensor(shape: [2, 3], scalars: [4, 5, 6, 7, 8, 9]).requiringGradient()
        Tensor.where(condition, x, y).sum().backward()
        // x is chosen on the first row only; each of its elements is used once.
        expectTensor(try #require(x.grad), shape: [1, 3], [1, 1, 1])
        expectTensor(try #require(y.grad), shape: [2, 3], [0, 0, 0, 1, 1, 1])

        let c = Tensor([1, 0, 1, 0, 0, 1])
        checkGradient(of: { Tensor.where(c, $0, $1) }, at: seededUniform([6], seed: 51), seededUniform([6], seed: 52))
        checkGradient(of: { Tensor.where(c, $0 * $0, $0.exp()) }, at: seededUniform([6], seed: 53))
    }

    @Test func maskBuiltFromTheInputActsAsAConstant() {
        // relu written with `where` and a mask of its own input has relu's gradient.
        let x = seededUniform([3, 4], avoiding: [0], seed: 54)
        checkGradient(of: { Tensor.where($0 .> 0, $0, Tensor(Float(0))) }, at: x)
        checkGradient(of: { $0 * ($0 .> 0) }, at: x)
    }
}
