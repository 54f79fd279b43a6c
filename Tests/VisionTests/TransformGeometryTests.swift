import Tensor
import Testing
import Vision

/// Flips, padding and crops: pure index permutations, checked against expected pixels
/// written out by hand.
@Suite("Transforms: flips, padding, crops")
struct TransformGeometryTests {
    typealias Support = VisionTestSupport

    @Test func horizontalAndVerticalFlipsMirrorEveryChannel() {
        let image = Support.ramp(channels: 2, height: 2, width: 3)  // c·100 + y·10 + x
        #expect(image.flippedHorizontally().scalars == [2, 1, 0, 12, 11, 10, 102, 101, 100, 112, 111, 110])
        #expect(image.flippedVertically().scalars == [10, 11, 12, 0, 1, 2, 110, 111, 112, 100, 101, 102])
    }

    @Test func randomHorizontalFlipHonoursItsProbability() {
        let image = Support.ramp(channels: 1, height: 2, width: 3)
        var generator = RandomGenerator(seed: 1)
        #expect(RandomHorizontalFlip(probability: 1)(image, generator: &generator).scalars == image.flippedHorizontally().scalars)
        #expect(RandomHorizontalFlip(probability: 0)(image, generator: &generator).scalars == image.scalars)
        var flips = 0
        for _ in 0..<1000 where RandomHorizontalFlip()(image, generator: &generator).scalars != image.scalars { flips += 1 }
        #expect((400...600).contains(flips), "flipped \(flips) of 1000 times at p = 0.5")
    }

    @Test func padModesFillTheBorderAsNumPyDoes() {
        let row = Support.gray(1, 3, [1, 2, 3])
        func padded(_ mode: BorderMode) -> [Float] { row.padded(top: 0, left: 2, bottom: 0, right: 2, mode: mode).scalars }
        #expect(padded(.constant(9)) == [9, 9, 1, 2, 3, 9, 9])
        #expect(padded(.edge) == [1, 1, 1, 2, 3, 3, 3])
        #expect(padded(.reflect) == [3, 2, 1, 2, 3, 2, 1])
        #expect(padded(.symmetric) == [2, 1, 1, 2, 3, 3, 2])
        // Reflection repeats when the padding exceeds the image.
        #expect(row.padded(top: 0, left: 5, bottom: 0, right: 0, mode: .reflect).scalars == [2, 1, 2, 3, 2, 1, 2, 3])
    }

    @Test func padTransformPadsRowsAndColumns() {
        let image = Support.gray(2, 2, [1, 2, 3, 4])
        let result = Pad(top: 1, left: 0, bottom: 0, right: 1, mode: .edge)(image)
        #expect(result.shape == [1, 3, 3])
        #expect(result.scalars == [1, 2, 2, 1, 2, 2, 3, 4, 4])
    }

    @Test func centerCropTakesTheMiddleWithTorchvisionRounding() {
        let image = Support.ramp(channels: 1, height: 5, width: 5)
        // (5 − 2) / 2 = 1.5 rounds half to even: offset 2.
        #expect(CenterCrop(size: 2)(image).scalars == [22, 23, 32, 33])
        #expect(CenterCrop(height: 3, width: 1)(image).scalars == [12, 22, 32])
        // A crop larger than the image is zero-padded around it.
        let small = Support.gray(2, 2, [1, 2, 3, 4])
        #expect(CenterCrop(size: 4)(small).scalars == [0, 0, 0, 0, 0, 1, 2, 0, 0, 3, 4, 0, 0, 0, 0, 0])
    }

    @Test func croppedToARegionCopiesThatRegion() {
        let image = Support.ramp(channels: 2, height: 4, width: 4)
        let crop = image.cropped(to: ImageRegion(top: 1, left: 2, height: 2, width: 2))
        #expect(crop.scalars == [12, 13, 22, 23, 112, 113, 122, 123])
    }

    @Test func randomCropIsSomeWindowOfThePaddedImageAndSeeded() throws {
        let image = Support.ramp(channels: 1, height: 4, width: 5)
        let transform = RandomCrop(height: 3, width: 3, padding: 1)
        let padded = image.padded(by: 1)
        var seen = Set<[Float]>()
        for seed in 0..<50 {
            var generator = RandomGenerator(seed: UInt64(seed))
            let crop = transform(image, generator: &generator)
            #expect(crop.shape == [1, 3, 3])
            let windows = (0...3).flatMap { top in
                (0...4).map { left in padded.cropped(to: ImageRegion(top: top, left: left, height: 3, width: 3)).scalars }
            }
            #expect(windows.contains(crop.scalars))
            seen.insert(crop.scalars)
            var again = RandomGenerator(seed: UInt64(seed))
            #expect(transform(image, generator: &again).scalars == crop.scalars)
        }
        // 4 × 5 possible windows: 50 draws should reach most of them.
        #expect(seen.count >= 12, "only \(seen.count) distinct crops in 50 draws")
    }

    @Test func randomCropPadsSmallImagesWhenAsked() {
        let image = Support.gray(2, 2, [1, 2, 3, 4])
        var generator = RandomGenerator(seed: 3)
        let crop = RandomCrop(size: 3, padIfNeeded: true)(image, generator: &generator)
        #expect(crop.shape == [1, 3, 3])
        #expect(crop.scalars.reduce(0, +) <= 10)  // only the original pixels and zeros
    }
}
