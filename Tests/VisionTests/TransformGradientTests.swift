import FathomTestSupport
import Tensor
import Testing
import Vision

/// The geometric image ops that move pixels without changing them — flips, padding (constant,
/// reflect, symmetric, cropping by negative amounts) and cropping to a region partly outside the
/// image — are differentiable like the tensor library's `padded(_:value:)`: their tape gradients
/// against central finite differences (``GradientCheck``, element by element).
@Suite struct TransformGradientTests {
    static func image(seed: UInt64) -> Tensor {
        var generator = RandomGenerator(seed: seed)
        return Tensor.uniform([2, 3, 4], low: -1, high: 1, generator: &generator)
    }

    @Test func flipsAndWindowsAreDifferentiable() {
        let x = Self.image(seed: 3)
        checkGradient(of: { $0.flippedHorizontally() }, at: x, "flippedHorizontally")
        checkGradient(of: { $0.flippedVertically() }, at: x, "flippedVertically")
        checkGradient(of: { $0.padded(top: 1, left: 2, bottom: 0, right: 1, mode: .constant(0.5)) }, at: x, "padded constant")
        checkGradient(of: { $0.padded(by: 5, mode: .reflect) }, at: x, "padded reflect, repeating")
        checkGradient(of: { $0.padded(top: 2, left: 3, bottom: 4, right: 1, mode: .symmetric) }, at: x, "padded symmetric")
        checkGradient(of: { $0.padded(top: -1, left: 0, bottom: 0, right: -2) }, at: x, "padded negative (a crop)")
        checkGradient(of: { $0.cropped(to: ImageRegion(top: -1, left: 2, height: 3, width: 4), fill: 0.25) }, at: x,
                      "cropped partly outside")
    }

    @Test func aReflectedPixelGathersTheGradientOfEveryCopy() {
        // A 1×1×3 row padded by 2 with reflection reads [x2, x1, x0, x1, x2, x1, x0]: x1 three
        // times, x0 and x2 twice each.
        let x = Tensor(shape: [1, 1, 3], scalars: [1, 2, 3]).requiringGradient()
        x.padded(top: 0, left: 2, bottom: 0, right: 2, mode: .reflect).sum().backward()
        #expect(x.grad?.scalars == [2, 3, 2])
    }
}
