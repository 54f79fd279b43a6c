import Foundation
import PneumoniaKit
import Tensor
import Testing
import Vision

/// Test-time augmentation: the views, the averaged probability, and old runs without it.
@Suite("Test-time augmentation")
struct TestTimeAugmentationTests {
    @Test func viewsAreTheImageThenFourShifts() {
        let views = TestTimeAugmentation(shift: 0.25).views(side: 8)
        #expect(views.count == 5)
        #expect(views[0] == AffineParameters())
        let shifts = views.dropFirst().map { [$0.translation.x, $0.translation.y] }
        #expect(Set(shifts) == [[2, 0], [-2, 0], [0, 2], [0, -2]])
    }

    /// The classifier's probability is the mean of the single-view probabilities of the image
    /// and of its four shifted copies (black filling the uncovered edge), each computed here
    /// independently through a classifier without augmentation.
    @Test func probabilityIsTheMeanOverShiftedViews() throws {
        let plain = try ServeFixture.classifier()
        #expect(plain.metadata.testTimeAugmentation == nil, "runs written without the option score one view")
        var metadata = plain.metadata
        metadata.testTimeAugmentation = TestTimeAugmentation(shift: 0.1)
        let augmented = Classifier(model: plain.model, metadata: metadata)

        let image = try Image(contentsOf: ServeFixture.xray())
        let input = plain.metadata.preprocessing.input(from: image)             // [1, 1, 64, 64], normalized
        let p = metadata.preprocessing
        let black = -p.mean[0] / p.standardDeviation[0]
        var expected = 0.0
        for view in TestTimeAugmentation(shift: 0.1).views(side: 64) {
            let shifted = input.squeezed(axes: [0]).affineTransformed(view, fill: black).unsqueezed(at: 0)
            expected += Double(plain.probabilities(batch: shifted)[0]) / 5
        }
        let single = Double(plain.probability(of: image))
        let averaged = Double(augmented.probability(of: image))
        #expect(abs(averaged - expected) < 1e-5)
        #expect(abs(averaged - single) > 1e-6, "the shifted views must change the score")
    }

    @Test func configurationDefaultsToSmallShiftsAndOldConfigurationsDecode() throws {
        #expect(TrainingConfiguration().testTimeShift == 0.04)
        let old = try JSONDecoder().decode(TrainingConfiguration.self, from: Data(#"{"epochs": 3}"#.utf8))
        #expect(old.testTimeShift == 0.04 && old.epochs == 3)
    }
}
