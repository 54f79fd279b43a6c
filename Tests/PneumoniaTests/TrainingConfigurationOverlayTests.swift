import Foundation
import PneumoniaKit
import Testing

/// Choices laid over a configuration (how `train` applies its options, to the defaults or to
/// a resumed run): given values replace, `nil` keeps, a key that is no choice is an error.
@Suite struct TrainingConfigurationOverlayTests {
    struct Given: Encodable {
        var epochs: Int?
        var augmentation: Augmentation?
        var intensity: Preprocessing.Intensity?
        var imageSize: Int?
    }

    struct Misspelled: Encodable {
        var epoch = 3
    }

    @Test func givenChoicesReplaceAndNilKeeps() throws {
        var base = TrainingConfiguration()
        base.imageSize = 64
        base.epochs = 5
        let config = try base.overlaid(with: Given(epochs: 9, augmentation: .acquisition, intensity: .equalized))
        var expected = base
        expected.epochs = 9
        expected.augmentation = .acquisition
        expected.intensity = .equalized
        #expect(config == expected)
        #expect(try base.overlaid(with: Given()) == base)
    }

    @Test func aKeyThatIsNoChoiceThrows() {
        #expect(throws: TrainingConfiguration.UnknownChoiceError.self) {
            try TrainingConfiguration().overlaid(with: Misspelled())
        }
    }

    @Test func augmentationAndIntensityAreStoredWithTheirSpellings() throws {
        var config = TrainingConfiguration()
        config.augmentation = .acquisition
        config.intensity = .equalized
        let json = String(decoding: try JSONEncoder().encode(config), as: UTF8.self)
        #expect(json.contains(#""augmentation":"acquisition""#) && json.contains(#""intensity":"equalize""#))
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(TrainingConfiguration.self, from: Data(#"{"augmentation": "wild"}"#.utf8))
        }
    }
}
