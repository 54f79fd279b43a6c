import Foundation
import Tensor
import Testing
import Vision

/// Normalization, photometric adjustments, blur, noise, equalization and colour models,
/// against values computed by hand.
@Suite("Transforms: intensity")
struct TransformIntensityTests {
    typealias Support = VisionTestSupport

    @Test func normalizeShiftsAndScalesEachChannel() {
        let image = Tensor(shape: [2, 1, 2], scalars: [0, 1, 0.5, 1])
        let result = Normalize(mean: [0.5, 0.25], standardDeviation: [0.5, 0.25])(image)
        #expect(result.isAlmostEqual(to: Tensor(shape: [2, 1, 2], scalars: [-1, 1, 1, 3]), tolerance: 1e-6))
        // One value for every channel.
        let single = Normalize(mean: [1], standardDeviation: [2])(image)
        #expect(single.isAlmostEqual(to: Tensor(shape: [2, 1, 2], scalars: [-0.5, 0, -0.25, 0]), tolerance: 1e-6))
    }

    @Test func brightnessContrastAndGammaFollowTheirFormulas() {
        let image = Support.gray(1, 4, [0, 0.25, 0.5, 1])
        #expect(image.brightnessAdjusted(by: 1.5).isAlmostEqual(to: Support.gray(1, 4, [0, 0.375, 0.75, 1]), tolerance: 1e-6))
        // mean = 0.4375; 2x − mean, clamped.
        #expect(image.contrastAdjusted(by: 2).isAlmostEqual(to: Support.gray(1, 4, [0, 0.0625, 0.5625, 1]), tolerance: 1e-6))
        #expect(image.contrastAdjusted(by: 0).isAlmostEqual(to: Support.gray(1, 4, [0.4375, 0.4375, 0.4375, 0.4375]), tolerance: 1e-6))
        #expect(image.gammaAdjusted(2).isAlmostEqual(to: Support.gray(1, 4, [0, 0.0625, 0.25, 1]), tolerance: 1e-6))
        // On RGB, contrast blends towards the mean luma 0.299·0.2 + 0.587·0.4 + 0.114·0.6.
        let rgb = Tensor(shape: [3, 1, 1], scalars: [0.2, 0.4, 0.6])
        let luma: Float = 0.299 * 0.2 + 0.587 * 0.4 + 0.114 * 0.6
        #expect(rgb.contrastAdjusted(by: 0).isAlmostEqual(to: Tensor(shape: [3, 1, 1], repeating: luma), tolerance: 1e-6))
    }

    @Test func randomIntensityTransformsDrawTheirFactorFromTheRange() {
        let image = Support.gray(1, 2, [0.2, 0.4])
        var generator = RandomGenerator(seed: 9)
        for _ in 0..<50 {
            let bright = RandomBrightness(0.3)(image, generator: &generator).scalars
            let factor = bright[0] / 0.2
            #expect(factor >= 0.7 - 1e-5 && factor <= 1.3 + 1e-5)
            #expect(abs(bright[1] - 0.4 * factor) < 1e-5)
            let gamma = RandomGamma(gamma: 0.5...2)(image, generator: &generator).scalars
            let exponent = log(gamma[0]) / log(Float(0.2))
            #expect(exponent >= 0.5 - 1e-4 && exponent <= 2 + 1e-4)
            let contrast = RandomContrast(factor: 1...1)(image, generator: &generator)
            #expect(contrast.isAlmostEqual(to: image, tolerance: 1e-6))
        }
    }

    @Test func histogramEqualizationMatchesPillowOnARamp() {
        // 32×32 pixels at four levels 0, 50, 100, 150 (/255), 256 pixels each. Pillow:
        // step = (1024 − 256) / 256 = 3, n starts at 1; level 0 → 1/3 = 0, level 50 →
        // 257/3 = 85, level 100 → 513/3 = 171, level 150 → 769/3 = 256, capped at 255.
        let levels: [Float] = [0, 50, 100, 150]
        let image = Tensor(shape: [1, 32, 32]) { out in
            for i in 0..<1024 { out[i] = levels[i / 256] / 255 }
        }
        let result = HistogramEqualization()(image).scalars
        let mapped: [Float] = [0, 85, 171, 255]
        for i in stride(from: 0, to: 1024, by: 128) { #expect(abs(result[i] - mapped[i / 256] / 255) < 1e-6) }
        // A flat channel is left as it is.
        let flat = Tensor(shape: [1, 4, 4], repeating: 0.2)
        #expect(flat.histogramEqualized().isAlmostEqual(to: Tensor(shape: [1, 4, 4], repeating: 51.0 / 255), tolerance: 1e-6))
    }

    @Test func gaussianBlurOfAnImpulseIsTheNormalizedKernelWithReflectedBorders() {
        // Kernel 3, σ = 1: weights e^(−1/2), 1, e^(−1/2), normalized.
        let side = Float(exp(-0.5)), total = 1 + 2 * side
        let w: [Float] = [side / total, 1 / total, side / total]
        var values = [Float](repeating: 0, count: 25)
        values[12] = 1
        let centre = Support.gray(5, 5, values).gaussianBlurred(kernelSize: 3, sigma: 1)
        let expected = Tensor(shape: [1, 5, 5]) { out in
            for y in 0..<5 {
                for x in 0..<5 {
                    let dy = y - 2, dx = x - 2
                    out[y * 5 + x] = abs(dy) <= 1 && abs(dx) <= 1 ? w[dy + 1] * w[dx + 1] : 0
                }
            }
        }
        #expect(centre.isAlmostEqual(to: expected, tolerance: 1e-6))
        // An impulse in the corner: reflection maps position −1 to 1, so the corner keeps
        // only the centre weight along each axis, and pixel (1, 1) gets w[0]·w[0].
        var corner = [Float](repeating: 0, count: 9)
        corner[0] = 1
        let blurred = Support.gray(3, 3, corner).gaussianBlurred(kernelSize: 3, sigma: 1).scalars
        #expect(abs(blurred[0] - w[1] * w[1]) < 1e-6)
        #expect(abs(blurred[1] - w[0] * w[1]) < 1e-6)
        #expect(abs(blurred[4] - w[0] * w[0]) < 1e-6)
        #expect(abs(blurred[2]) < 1e-7)
    }

    @Test func gaussianNoiseHasTheRequestedSpreadAndIsSeeded() {
        let image = Tensor(shape: [1, 64, 64], repeating: 0.5)
        let transform = GaussianNoise(standardDeviation: 0.05)
        var generator = RandomGenerator(seed: 21)
        let noisy = transform(image, generator: &generator)
        let difference = (noisy - image).scalars
        let mean = difference.reduce(0, +) / Float(difference.count)
        let deviation = (difference.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Float(difference.count)).squareRoot()
        #expect(abs(mean) < 0.005 && abs(deviation - 0.05) < 0.005, "noise mean \(mean), std \(deviation)")
        var again = RandomGenerator(seed: 21)
        #expect(transform(image, generator: &again).scalars == noisy.scalars)
        let clipped = GaussianNoise(standardDeviation: 2)(image, generator: &generator).scalars
        #expect(clipped.allSatisfy { (0...1).contains($0) })
    }

    @Test func grayscaleAndRGBConvertChannels() {
        let rgb = Tensor(shape: [3, 1, 2], scalars: [1, 0, 0, 1, 0, 0])
        #expect(Grayscale()(rgb).isAlmostEqual(to: Support.gray(1, 2, [0.299, 0.587]), tolerance: 1e-6))
        let gray = Support.gray(1, 2, [0.25, 0.75])
        #expect(ToRGB()(gray).scalars == [0.25, 0.75, 0.25, 0.75, 0.25, 0.75])
        #expect(Grayscale()(gray).scalars == gray.scalars)
        #expect(Grayscale()(ToRGB()(gray)).isAlmostEqual(to: gray, tolerance: 1e-6))
    }
}
