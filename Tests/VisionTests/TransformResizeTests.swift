import Tensor
import Testing
import Vision

/// Resizing against values derived by hand from the half-pixel formula
/// `src = (dst + 0.5) · in/out − 0.5` and from PIL's antialiasing filter.
@Suite("Transforms: resize")
struct TransformResizeTests {
    typealias Support = VisionTestSupport

    @Test func bilinearUpsampleOf2x2To4x4FollowsTheHalfPixelFormula() {
        // f(y, x) = 8y + 4x on the 2×2 grid. Upsampling by 2: src = (dst + 0.5)/2 − 0.5 gives
        // −0.25, 0.25, 0.75, 1.25, clamped to 0, 0.25, 0.75, 1; the function is linear, so
        // the output is 8·u[i] + 4·u[j] with u = [0, 0.25, 0.75, 1].
        let image = Support.gray(2, 2, [0, 4, 8, 12])
        let expected: [Float] = [0, 1, 3, 4,
                                 2, 3, 5, 6,
                                 6, 7, 9, 10,
                                 8, 9, 11, 12]
        for antialias in [false, true] {  // antialiasing does not change upsampling
            let result = image.resized(height: 4, width: 4, antialias: antialias)
            #expect(result.shape == [1, 4, 4])
            #expect(result.isAlmostEqual(to: Tensor(shape: [1, 4, 4], scalars: expected), tolerance: 1e-6))
        }
    }

    @Test func bilinearDownsampleBy2AveragesPixelPairsWithoutAntialias() {
        // src = (dst + 0.5)·2 − 0.5 = 0.5 and 2.5: each output is the mean of a 2×2 block.
        let image = Support.gray(4, 4, (0..<16).map(Float.init))  // 4y + x
        let result = image.resized(height: 2, width: 2, antialias: false)
        #expect(result.isAlmostEqual(to: Support.gray(2, 2, [2.5, 4.5, 10.5, 12.5]), tolerance: 1e-6))
    }

    @Test func antialiasedDownsampleUsesPILsWidenedTriangle() {
        // Scale 2: the triangle has support 2. Output 0 is centred at 1.0 (source pixel units,
        // edges at integers): taps 0, 1, 2 with weights tri(−0.25), tri(0.25), tri(0.75)
        // = 0.75, 0.75, 0.25 → 3/7, 3/7, 1/7 (tap −1 is outside). Output 1 (centre 3.0): taps
        // 1, 2, 3 → 1/7, 3/7, 3/7. On f = 4y + x the mean coordinates are 5/7 and 16/7.
        let image = Support.gray(4, 4, (0..<16).map(Float.init))
        let a: Float = 5.0 / 7, b: Float = 16.0 / 7
        let expected = Support.gray(2, 2, [4 * a + a, 4 * a + b, 4 * b + a, 4 * b + b])
        #expect(image.resized(height: 2, width: 2).isAlmostEqual(to: expected, tolerance: 1e-5))
        // A constant stays constant.
        let flat = Tensor(shape: [3, 9, 7], repeating: 0.3)
        #expect(flat.resized(height: 4, width: 3).isAlmostEqual(to: Tensor(shape: [3, 4, 3], repeating: 0.3), tolerance: 1e-6))
    }

    @Test func downsamplingByAnIntegerFactorWithAntialiasPreservesTheMean() {
        let image = Support.randomImage(channels: 1, height: 12, width: 12, seed: 5)
        let small = image.resized(height: 4, width: 4)
        // Interior outputs see whole 3×3 blocks plus symmetric neighbours; the global mean
        // is kept within a small border effect.
        #expect(abs(small.mean().scalar - image.mean().scalar) < 0.03)
    }

    @Test func nearestPicksThePixelWhoseCentreIsNearest() {
        // 4 → 2: floor((dst + 0.5)·2) = 1, 3. 2 → 4: floor((dst + 0.5)/2) = 0, 0, 1, 1.
        let image = Support.gray(4, 4, (0..<16).map(Float.init))
        #expect(image.resized(height: 2, width: 2, interpolation: .nearest).scalars == [5, 7, 13, 15])
        let small = Support.gray(2, 2, [1, 2, 3, 4])
        #expect(small.resized(height: 4, width: 4, interpolation: .nearest).scalars
                == [1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4])
    }

    @Test func resizingToTheSameSizeIsTheIdentity() {
        let image = Support.randomImage(channels: 3, height: 5, width: 7, seed: 2)
        #expect(image.resized(height: 5, width: 7).scalars == image.scalars)
        // One axis unchanged: that axis passes through exactly.
        let wider = image.resized(height: 5, width: 14)
        #expect(wider.shape == [3, 5, 14])
    }

    @Test func resizedRegionEqualsCropThenResize() {
        let image = Support.randomImage(channels: 2, height: 10, width: 12, seed: 8)
        let region = ImageRegion(top: 2, left: 3, height: 6, width: 7)
        let fused = image.resized(from: region, height: 4, width: 5)
        let separate = image.cropped(to: region).resized(height: 4, width: 5)
        #expect(fused.isAlmostEqual(to: separate, tolerance: 1e-6))
    }

    @Test func resizeShorterSideKeepsTheAspectRatio() {
        let transform = ResizeShorterSide(to: 128)
        #expect(transform.outputSize(height: 592, width: 968) == (128, 209))  // floor(128·968/592)
        #expect(transform.outputSize(height: 1416, width: 1176) == (154, 128))
        #expect(ResizeShorterSide(to: 100, maxSize: 150).outputSize(height: 100, width: 400) == (37, 150))
        let image = Support.randomImage(channels: 1, height: 20, width: 30, seed: 1)
        #expect(transform(image).shape == [1, 128, 192])
        #expect(Resize(height: 7, width: 9)(image).shape == [1, 7, 9])
    }
}
