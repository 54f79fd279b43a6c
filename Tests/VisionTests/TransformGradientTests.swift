import Tensor
import Testing
import Vision

/// The geometric image ops that move pixels without changing them — flips, padding (constant,
/// reflect, symmetric, cropping by negative amounts) and cropping to a region partly outside the
/// image — are differentiable like the tensor library's `padded(_:value:)`: their tape gradients
/// against central finite differences (``GradientCheck``).
@Suite struct TransformGradientTests {
    static func image(seed: UInt64) -> Tensor {
        var generator = RandomGenerator(seed: seed)
        return Tensor.uniform([2, 3, 4], low: -1, high: 1, generator: &generator)
    }

    static func expectGradients(_ name: String, _ f: @escaping (Tensor) -> Tensor, sourceLocation: SourceLocation = #_sourceLocation) {
        for comparison in GradientCheck.compare({ f($0[0]) }, at: [image(seed: 3)]) {
            #expect(comparison.passes(absolute: 1e-3, relative: 1e-2), "\(name): \(comparison)", sourceLocation: sourceLocation)
        }
    }

    @Test func flipsAndWindowsAreDifferentiable() {
        Self.expectGradients("flippedHorizontally", { $0.flippedHorizontally() })
        Self.expectGradients("flippedVertically", { $0.flippedVertically() })
        Self.expectGradients("padded constant", { $0.padded(top: 1, left: 2, bottom: 0, right: 1, mode: .constant(0.5)) })
        Self.expectGradients("padded reflect, repeating", { $0.padded(by: 5, mode: .reflect) })
        Self.expectGradients("padded symmetric", { $0.padded(top: 2, left: 3, bottom: 4, right: 1, mode: .symmetric) })
        Self.expectGradients("padded negative (a crop)", { $0.padded(top: -1, left: 0, bottom: 0, right: -2) })
        Self.expectGradients("cropped partly outside", { $0.cropped(to: ImageRegion(top: -1, left: 2, height: 3, width: 4), fill: 0.25) })
    }

    @Test func aReflectedPixelGathersTheGradientOfEveryCopy() {
        // A 1×1×3 row padded by 2 with reflection reads [x2, x1, x0, x1, x2, x1, x0]: x1 three
        // times, x0 and x2 twice each.
        let x = Tensor(shape: [1, 1, 3], scalars: [1, 2, 3]).requiringGradient()
        x.padded(top: 0, left: 2, bottom: 0, right: 2, mode: .reflect).sum().backward()
        #expect(x.grad?.scalars == [2, 3, 2])
    }
}
