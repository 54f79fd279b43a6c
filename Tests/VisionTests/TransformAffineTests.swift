import Foundation
import Tensor
import Testing
import Vision

/// Rotation and affine warps: exact permutations and hand-derived samples.
@Suite("Transforms: rotation and affine")
struct TransformAffineTests {
    typealias Support = VisionTestSupport

    @Test func rotationBy90DegreesIsAnExactPermutation() {
        for side in [3, 4] {
            let image = Support.ramp(channels: 2, height: side, width: side)
            // Counter-clockwise by 90°: the output at (y, x) is the input at (x, side − 1 − y).
            let expected = Tensor(shape: [2, side, side]) { out in
                for c in 0..<2 {
                    for y in 0..<side {
                        for x in 0..<side { out[(c * side + y) * side + x] = Float(c * 100 + x * 10 + (side - 1 - y)) }
                    }
                }
            }
            #expect(image.rotated(degrees: 90).isAlmostEqual(to: expected, tolerance: 1e-4))
            #expect(image.rotated(degrees: 90, interpolation: .nearest).scalars == expected.scalars)
            // Four quarter turns give the image back; a half turn reverses both axes.
            var turned = image
            for _ in 0..<4 { turned = turned.rotated(degrees: 90) }
            #expect(turned.isAlmostEqual(to: image, tolerance: 1e-3))
            #expect(image.rotated(degrees: 180).isAlmostEqual(to: image.flippedHorizontally().flippedVertically(), tolerance: 1e-4))
        }
    }

    @Test func randomRotationWithAFixedAngleMatchesRotated() {
        let image = Support.ramp(channels: 1, height: 4, width: 4)
        var generator = RandomGenerator(seed: 0)
        let result = RandomRotation(degrees: 90...90)(image, generator: &generator)
        #expect(result.isAlmostEqual(to: image.rotated(degrees: 90), tolerance: 0))
    }

    @Test func integerTranslationShiftsAndFillsTheUncoveredEdge() {
        let image = Support.gray(2, 3, [1, 2, 3, 4, 5, 6])
        let moved = image.affineTransformed(AffineParameters(translation: (1, 0)), fill: -1)
        #expect(moved.isAlmostEqual(to: Support.gray(2, 3, [-1, 1, 2, -1, 4, 5]), tolerance: 1e-6))
        let down = image.affineTransformed(AffineParameters(translation: (0, 1)))
        #expect(down.isAlmostEqual(to: Support.gray(2, 3, [0, 0, 0, 1, 2, 3]), tolerance: 1e-6))
    }

    /// Regression: a source point a hair below the right or bottom edge (`8 − 2⁻²¹` on an
    /// 8-pixel axis) made `sx + 1` round up to 9 in Float, so the truncated index landed one
    /// past the last column and the border path read the next row's first pixel, or past the
    /// end of the image on the last row (a 1e30 pixel that wrecked batch-norm statistics in
    /// a long training run). Every output must match a Double reference with a true floor.
    @Test func subPixelShiftsAtTheEdgeNeverReadPastTheImage() {
        let side = 8
        let image = Tensor(shape: [1, side, side]) { out in
            for y in 0..<side { for x in 0..<side { out[y * side + x] = Float(1 + x + 10 * y) } }
        }
        func reference(_ parameters: AffineParameters, x: Int, y: Int) -> Double {
            let m = parameters.inverseMatrix, c = Double(side - 1) / 2
            let sx = m[0] * (Double(x) - c) + m[1] * (Double(y) - c) + m[2] + c
            let sy = m[3] * (Double(x) - c) + m[4] * (Double(y) - c) + m[5] + c
            let ix = Int(sx.rounded(.down)), iy = Int(sy.rounded(.down))
            let ax = sx - Double(ix), ay = sy - Double(iy)
            func pixel(_ px: Int, _ py: Int) -> Double {
                px >= 0 && px < side && py >= 0 && py < side ? Double(1 + px + 10 * py) : 0
            }
            return (1 - ax) * (1 - ay) * pixel(ix, iy) + ax * (1 - ay) * pixel(ix + 1, iy)
                + (1 - ax) * ay * pixel(ix, iy + 1) + ax * ay * pixel(ix + 1, iy + 1)
        }
        for k in 1...8 {
            let shift = -(1 - Double(k) * 0x1p-21)  // moves sampling points just below the edge
            for translation in [(shift, 0.0), (0.0, shift), (shift, shift)] {
                let parameters = AffineParameters(translation: translation)
                let warped = image.affineTransformed(parameters).scalars
                for y in 0..<side {
                    for x in 0..<side {
                        let expected = reference(parameters, x: x, y: y)
                        #expect(abs(Double(warped[y * side + x]) - expected) < 1e-3,
                                "translation \(translation) at (\(x), \(y)): \(warped[y * side + x]) vs \(expected)")
                    }
                }
            }
        }
    }

    @Test func zoomBy2SamplesBetweenPixelsAroundTheCentre() {
        // 3×3, centre (1, 1): output (x, y) samples ((x − 1)/2 + 1, (y − 1)/2 + 1). The corner
        // (0, 0) samples (0.5, 0.5), the mean of the four top-left pixels; the edge
        // midpoint (1, 0) samples (1, 0.5), the mean of pixels (1, 0) and (1, 1).
        let image = Support.gray(3, 3, [0, 1, 2, 3, 4, 5, 6, 7, 8])
        let zoomed = image.affineTransformed(AffineParameters(scale: 2))
        let expected = Support.gray(3, 3, [2, 2.5, 3, 3.5, 4, 4.5, 5, 5.5, 6])
        #expect(zoomed.isAlmostEqual(to: expected, tolerance: 1e-5))
    }

    @Test func bilinearFillBlendsOutsideNeighboursWithTheFillValue() {
        // Translating by half a pixel is not possible with integer translation, so zoom out
        // instead: scale 0.5 on 2×2 (centre 0.5) samples at 2(x − 0.5) + 0.5 = −0.5 and 1.5.
        // Each sample has one neighbour inside (weight ¼) and three outside, which read the
        // fill: ¼·4 + ¾·2 = 2.5.
        let image = Support.gray(2, 2, [4, 4, 4, 4])
        let result = image.affineTransformed(AffineParameters(scale: 0.5), fill: 2)
        #expect(result.isAlmostEqual(to: Support.gray(2, 2, [2.5, 2.5, 2.5, 2.5]), tolerance: 1e-5))
    }

    @Test func inverseMatrixMatchesTorchvisionForAShear() {
        // torchvision's _get_inverse_affine_matrix with angle 0, shear (sx, 0), scale 1:
        // b = −tan(sx), so the inverse is [1, tan(sx), 0, 0, 1, 0].
        let m = AffineParameters(shear: (30, 0)).inverseMatrix
        let expected = [1, (30.0 * Double.pi / 180).tangent, 0, 0, 1, 0]
        for (a, b) in zip(m, expected) { #expect(abs(a - b) < 1e-12) }
    }

    @Test func randomAffineIsSeededAndDrawsInsideItsRanges() {
        let transform = RandomAffine(degrees: -10...10, translate: (0.1, 0.2), scale: 0.9...1.1, shearX: -5...5)
        for seed in 0..<20 {
            var generator = RandomGenerator(seed: UInt64(seed))
            let p = transform.parameters(height: 50, width: 40, generator: &generator)
            #expect((-10...10).contains(p.angle) && (0.9...1.1).contains(p.scale) && (-5...5).contains(p.shear.x))
            #expect(abs(p.translation.x) <= 4 && abs(p.translation.y) <= 10)
            #expect(p.translation.x == p.translation.x.rounded() && p.shear.y == 0)
        }
        let image = Support.randomImage(channels: 1, height: 16, width: 16, seed: 4)
        var a = RandomGenerator(seed: 11), b = RandomGenerator(seed: 11), c = RandomGenerator(seed: 12)
        let first = transform(image, generator: &a)
        #expect(transform(image, generator: &b).scalars == first.scalars)
        #expect(transform(image, generator: &c).scalars != first.scalars)
    }
}

private extension Double {
    var tangent: Double { sin(self) / cos(self) }
}
