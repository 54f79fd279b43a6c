import Tensor
import Testing
import Vision

/// Composition, seeded determinism of the random transforms, and RandomResizedCrop.
@Suite("Transforms: pipelines and determinism")
struct TransformPipelineTests {
    typealias Support = VisionTestSupport

    static let augmentation = Compose {
        RandomResizedCrop(size: 12, scale: 0.5...1)
        RandomHorizontalFlip()
        RandomAffine(degrees: -10...10, translate: (0.1, 0.1), scale: 0.9...1.1, shearX: -5...5)
        RandomRotation(degrees: 5)
        RandomApply(GaussianBlur(kernelSize: 3), probability: 0.5)
        RandomBrightness(0.2)
        RandomContrast(0.2)
        RandomGamma()
        RandomCrop(size: 10, padding: 1, paddingMode: .reflect)
        GaussianNoise(standardDeviation: 0.01)
        Normalize(mean: [0.5], standardDeviation: [0.25])
    }

    @Test func theSameSeedGivesTheSameAugmentation() {
        let image = Support.randomImage(channels: 1, height: 16, width: 20, seed: 3)
        var outputs: [[Float]] = []
        for seed: UInt64 in [1, 1, 2] {
            var generator = RandomGenerator(seed: seed)
            let output = Self.augmentation(image, generator: &generator)
            #expect(output.shape == [1, 10, 10])
            outputs.append(output.scalars)
        }
        #expect(outputs[0] == outputs[1])
        #expect(outputs[0] != outputs[2])
    }

    @Test func composeAppliesInOrderAndTheBuilderHandlesConditions() {
        let image = Support.gray(1, 2, [0, 1])
        let padThenShift = Compose([Pad(top: 0, left: 1, bottom: 0, right: 0, mode: .constant(5)), Normalize(mean: [1], standardDeviation: [1])])
        var unused = RandomGenerator(seed: 0)
        #expect(padThenShift(image, generator: &unused).scalars == [4, -1, 0])
        for training in [false, true] {
            let pipeline = Compose {
                if training { Normalize(mean: [1], standardDeviation: [1]) }
                for _ in 0..<2 { Pad(top: 0, left: 0, bottom: 0, right: 1) }
            }
            #expect(pipeline.transforms.count == (training ? 3 : 2))
            var generator = RandomGenerator(seed: 0)
            #expect(pipeline(image, generator: &generator).shape == [1, 1, 4])
        }
    }

    @Test func randomResizedCropRegionsStayInsideAndRespectTheScale() {
        let transform = RandomResizedCrop(size: 8, scale: 0.25...0.5, ratio: 0.75...(4.0 / 3))
        var generator = RandomGenerator(seed: 5)
        for _ in 0..<200 {
            let r = transform.region(imageHeight: 40, imageWidth: 60, generator: &generator)
            #expect(r.top >= 0 && r.left >= 0 && r.top + r.height <= 40 && r.left + r.width <= 60)
            let area = Double(r.height * r.width) / 2400
            // Rounding the sides to pixels moves the area a little beyond the range.
            #expect(area > 0.2 && area < 0.56, "area fraction \(area)")
        }
    }

    @Test func randomResizedCropFallsBackToTheCentreWhenNothingFits() {
        // An area above the image's never fits, so the fallback takes the whole image when its
        // ratio is allowed, or the largest centred crop with the nearest allowed ratio.
        let image = Support.randomImage(channels: 1, height: 10, width: 30, seed: 6)
        var generator = RandomGenerator(seed: 0)
        let transform = RandomResizedCrop(size: 5, scale: 2...3, ratio: 0.5...2)
        // 30/10 = 3 > 2: width becomes round(10 · 2) = 20, centred at left (30 − 20)/2 = 5.
        #expect(transform.region(imageHeight: 10, imageWidth: 30, generator: &generator)
                == ImageRegion(top: 0, left: 5, height: 10, width: 20))
        let output = transform(image, generator: &generator)
        let expected = image.resized(from: ImageRegion(top: 0, left: 5, height: 10, width: 20), height: 5, width: 5)
        #expect(output.scalars == expected.scalars)
    }

    @Test func randomApplyRunsTheTransformAtTheGivenRate() {
        let image = Support.gray(1, 2, [0.5, 0.5])
        let transform = RandomApply(probability: 0.3) { Normalize(mean: [0.5], standardDeviation: [1]) }
        var generator = RandomGenerator(seed: 4)
        var applied = 0
        for _ in 0..<1000 where transform(image, generator: &generator).scalars == [0, 0] { applied += 1 }
        #expect((240...360).contains(applied), "applied \(applied) of 1000 times at p = 0.3")
    }
}
