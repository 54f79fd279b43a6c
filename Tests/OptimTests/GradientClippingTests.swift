import Foundation
import Optim
import Tensor
import Testing

@Suite("Gradient clipping")
struct GradientClippingTests {
    /// Gradients [3, 4] and [12]: L2 norm 13, L1 norm 19, largest magnitude 12.
    func makeParameters() -> [Parameter] {
        let a = Parameter(Tensor([3.0, -4.0])), b = Parameter(Tensor([0.0])), c = Parameter(Tensor([1.0]))
        a.grad = Tensor([3.0, -4.0])
        b.grad = Tensor([12.0])
        return [a, b, c]  // c has no gradient and is ignored
    }

    @Test func clipsToTheL2Norm() {
        let parameters = makeParameters()
        let norm = clipGradientNorm(parameters, maxNorm: 6.5)
        #expect(abs(norm - 13) <= 1e-5)
        let scale = 6.5 / (13 + 1e-6)
        expectClose(parameters[0].grad!.scalars, [3 * scale, -4 * scale], "first gradient")
        expectClose(parameters[1].grad!.scalars, [12 * scale], "second gradient")
        #expect(parameters[2].grad == nil)
    }

    @Test func leavesSmallGradientsAlone() {
        let parameters = makeParameters()
        let norm = clipGradientNorm(parameters, maxNorm: 20)
        #expect(abs(norm - 13) <= 1e-5)
        #expect(parameters[0].grad!.scalars == [3, -4])
        #expect(parameters[1].grad!.scalars == [12])
    }

    @Test func otherNormTypes() {
        var parameters = makeParameters()
        let l1 = clipGradientNorm(parameters, maxNorm: 9.5, normType: 1)
        #expect(abs(l1 - 19) <= 1e-5)
        expectClose(parameters[1].grad!.scalars, [12 * 9.5 / (19 + 1e-6)], "L1-clipped gradient")

        parameters = makeParameters()
        let largest = clipGradientNorm(parameters, maxNorm: 6, normType: .infinity)
        #expect(largest == 12)
        expectClose(parameters[0].grad!.scalars, [3 * 6 / (12 + 1e-6), -4 * 6 / (12 + 1e-6)], "∞-clipped gradient")

        parameters = makeParameters()
        let p3 = clipGradientNorm(parameters, maxNorm: 100, normType: 3)
        #expect(abs(Double(p3) - pow(27.0 + 64 + 1728, 1.0 / 3)) <= 1e-4)
    }

    @Test func largeGradientNormAcrossBlocks() {
        let count = 300_001
        let values = (0..<count).map { Float(($0 % 7) - 3) / 8 }
        let parameter = Parameter(Tensor(values))
        parameter.grad = Tensor(values)
        var sum = 0.0
        for v in values { sum += Double(v) * Double(v) }
        let norm = clipGradientNorm([parameter], maxNorm: 1)
        #expect(abs(Double(norm) - sum.squareRoot()) <= 1e-6 * sum.squareRoot())
        let scale = 1 / (Double(norm) + 1e-6)
        let clipped = parameter.grad!.scalars
        for i in stride(from: 0, to: count, by: 9_973) {
            #expect(abs(Double(clipped[i]) - Double(values[i]) * scale) <= 1e-7)
        }
    }

    @Test func clipsValues() {
        let parameter = Parameter(Tensor([0, 0, 0, 0]))
        parameter.grad = Tensor([-5, 0.5, 3, -1])
        clipGradientValue([parameter], maxValue: 1)
        #expect(parameter.grad!.scalars == [-1, 0.5, 1, -1])
    }
}
