import Foundation
import PneumoniaKit
import Tensor
import Testing
import Vision

/// The acquisition shifts of `evaluate --shifts`, against values computed here in Double.
@Suite("Acquisition shifts")
struct AcquisitionShiftTests {
    /// A tenth of the ramp's step between neighbouring pixels of a 40-pixel row.
    static let tolerance = 0.1 * 0.8 / 39

    /// A 1×H×W image whose value rises linearly from 0.1 at the left pixel centre to 0.9 at the
    /// right one.
    static func horizontalRamp(height: Int = 16, width: Int = 40) -> Tensor {
        Tensor(shape: [1, height, width], scalars: (0..<height * width).map { 0.1 + 0.8 * Float($0 % width) / Float(width - 1) })
    }

    static func apply(_ kind: AcquisitionShift.Kind, to image: Tensor, seed: UInt64 = 1) -> Tensor {
        var generator = RandomGenerator(seed: seed)
        return AcquisitionShift("test", kind)(image, generator: &generator)
    }

    @Test func everyShiftKeepsTheShapeAndTheRangeAndIsRepeatable() {
        let image = Self.horizontalRamp()
        for shift in AcquisitionShift.suite {
            let a = Self.apply(shift.kind, to: image), b = Self.apply(shift.kind, to: image)
            #expect(a.shape == image.shape, "\(shift.name)")
            #expect(a.scalars.allSatisfy { $0 >= 0 && $0 <= 1 }, "\(shift.name) leaves 0…1")
            #expect(a.scalars == b.scalars, "\(shift.name) is not repeatable with one seed")
            #expect(a.scalars != image.scalars, "\(shift.name) changed nothing")
        }
        #expect(Set(AcquisitionShift.suite.map(\.name)).count == AcquisitionShift.suite.count, "names must be unique")
    }

    /// Narrowing by 0.8: column `x` of the result holds the ramp at source position
    /// `(x − pad + 0.5) / 0.8 − 0.5`; the `pad` columns on each side are black. (The antialiasing
    /// filter's taps are not symmetric about every output position, so a ramp comes back linear
    /// only to ~1e-3; `tolerance` is a tenth of one pixel's step of the ramp, so a geometry off by
    /// a pixel, or by half of one, fails.)
    @Test func aspectNarrowingCompressesTheWidthAndPadsBlack() {
        let width = 40, image = Self.horizontalRamp(width: width)
        let out = Self.apply(.aspect(0.8), to: image)
        let pad = 4  // (32 − 40) / 2
        func ramp(_ source: Double) -> Double { 0.1 + 0.8 * source / Double(width - 1) }
        for y in [0, 7, 15] {
            for x in 0..<pad { #expect(out[0, y, x] == 0 && out[0, y, width - 1 - x] == 0) }
            for x in (pad + 3)..<(width - pad - 3) {
                let expected = ramp((Double(x - pad) + 0.5) / 0.8 - 0.5)
                #expect(abs(Double(out[0, y, x]) - expected) < Self.tolerance, "column \(x)")
            }
        }
    }

    /// Widening by 1.25 keeps the centre 40 columns of a 50-column resampling.
    @Test func aspectWideningCropsTheSides() {
        let width = 40, image = Self.horizontalRamp(width: width)
        let out = Self.apply(.aspect(1.25), to: image)
        func ramp(_ source: Double) -> Double { 0.1 + 0.8 * source / Double(width - 1) }
        for x in 3..<(width - 3) {
            let expected = ramp((Double(x + 5) + 0.5) / 1.25 - 0.5)
            #expect(abs(Double(out[0, 3, x]) - expected) < Self.tolerance, "column \(x)")
        }
    }

    @Test func zoomInEnlargesTheCentreAndZoomOutAddsABlackBorder() {
        let width = 40, image = Self.horizontalRamp(width: width)
        func ramp(_ source: Double) -> Double { 0.1 + 0.8 * source / Double(width - 1) }
        let zoomed = Self.apply(.zoomIn(0.5), to: image)  // columns 10..<30 stretched to 40
        for x in 2..<(width - 2) {
            #expect(abs(Double(zoomed[0, 8, x]) - ramp(10 + (Double(x) + 0.5) / 2 - 0.5)) < Self.tolerance, "column \(x)")
        }
        let framed = Self.apply(.zoomOut(0.5), to: image)  // content in rows 4..<12, columns 10..<30
        #expect(framed[0, 0, 20] == 0 && framed[0, 8, 5] == 0 && framed[0, 15, 35] == 0)
        for x in 12..<28 {
            #expect(abs(Double(framed[0, 8, x]) - ramp((Double(x - 10) + 0.5) * 2 - 0.5)) < Self.tolerance, "column \(x)")
        }
    }

    /// The marker is an "L" of ones: 3 % of the side thick, 12 % tall, 8 % wide, 5 % in.
    @Test func markerIsAWhiteLInTheTopLeftCorner() {
        let image = Tensor(shape: [1, 100, 100], repeating: 0.25)
        let out = Self.apply(.marker, to: image)
        var ones = 0
        for y in 0..<100 {
            for x in 0..<100 {
                let inStem = (5..<8).contains(x) && (5..<17).contains(y)
                let inFoot = (5..<13).contains(x) && (14..<17).contains(y)
                let expected: Float = inStem || inFoot ? 1 : 0.25
                #expect(out[0, y, x] == expected, "pixel (\(x), \(y))")
                if expected == 1 { ones += 1 }
            }
        }
        #expect(ones == 3 * 12 + 5 * 3)
    }

    @Test func photometricShiftsFollowTheirFormulas() {
        let image = Self.horizontalRamp()
        let gamma = Self.apply(.gamma(0.7), to: image), bright = Self.apply(.brightness(1.2), to: image)
        for (i, x) in image.scalars.enumerated() {
            #expect(abs(Double(gamma.scalars[i]) - Foundation.pow(Double(x), 0.7)) < 1e-5)
            #expect(abs(Double(bright.scalars[i]) - min(1, Double(x) * 1.2)) < 1e-6)
        }
        // Sharpening adds the difference from a blur: on a linear ramp's interior that is zero.
        let sharp = Self.apply(.sharpen(amount: 1.5), to: image)
        for x in 4..<36 { #expect(abs(sharp[0, 8, x] - image[0, 8, x]) < 1e-5) }
        let noisy = Self.apply(.noise(0.04), to: image)
        let deviation = zip(noisy.scalars, image.scalars).map { Double($0 - $1) }
        let rms = (deviation.map { $0 * $0 }.reduce(0, +) / Double(deviation.count)).squareRoot()
        #expect(rms > 0.03 && rms < 0.05, "noise of standard deviation 0.04, measured \(rms)")
    }

    @Test func jpegRoundTripChangesLittleButSomething() {
        var generator = RandomGenerator(seed: 3)
        let image = Tensor.uniform([1, 32, 32], low: 0.2, high: 0.8, generator: &generator)
        let out = Self.apply(.jpeg(quality: 20), to: image)
        let error = zip(out.scalars, image.scalars).map { Double(abs($0 - $1)) }
        let mean = error.reduce(0, +) / Double(error.count)
        #expect(mean > 0.01 && mean < 0.3, "mean absolute JPEG error \(mean)")
    }
}
