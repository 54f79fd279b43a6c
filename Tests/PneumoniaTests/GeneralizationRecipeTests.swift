import Foundation
import PneumoniaKit
import Tensor
import Testing
import Vision

/// The recipe of README.md, "Generalization": the gray-level step of the stored preprocessing
/// (`train --intensity equalize`) and the image-folder defaults.
@Suite("Generalization recipe")
struct GeneralizationRecipeTests {
    /// Pillow's `ImageOps.equalize` lookup table, written out again here in integers.
    static func pillowEqualizationTable(_ levels: [Int]) -> [Int] {
        var histogram = [Int](repeating: 0, count: 256)
        for level in levels { histogram[level] += 1 }
        let lastCount = histogram.last { $0 > 0 } ?? 0
        let step = (levels.count - lastCount) / 256
        guard step > 0 else { return Array(0..<256) }
        var n = step / 2, table = [Int](repeating: 0, count: 256)
        for i in 0..<256 {
            table[i] = min(n / step, 255)
            n += histogram[i]
        }
        return table
    }

    static func levels(side: Int) -> [Int] { (0..<side * side).map { ($0 * 37 + $0 / side * 11) % 180 + 20 } }

    @Test func equalizedInputsFollowPillowsTableThenNormalize() {
        let side = 32, levels = Self.levels(side: side)
        let image = Tensor(shape: [1, side, side], scalars: levels.map { Float($0) / 255 })
        let preprocessing = Preprocessing(imageSize: side, geometry: .stretch, mean: [0.5], standardDeviation: [0.25],
                                          intensity: .equalized)
        var generator = RandomGenerator(seed: 0)
        let out = preprocessing.transform(image, generator: &generator).scalars
        let table = Self.pillowEqualizationTable(levels)
        for (i, level) in levels.enumerated() {
            let expected = (Double(table[level]) / 255 - 0.5) / 0.25
            #expect(abs(Double(out[i]) - expected) < 1e-5, "pixel \(i), level \(level)")
        }
    }

    /// Equalization happens at the image's own resolution, before resizing: the histogram of a
    /// 2,000-px original, not of the 28-px input.
    @Test func equalizationPrecedesResizing() {
        let side = 64, levels = Self.levels(side: side)
        let image = Tensor(shape: [1, side, side], scalars: levels.map { Float($0) / 255 })
        let preprocessing = Preprocessing(imageSize: 16, geometry: .stretch, mean: [0], standardDeviation: [1],
                                          intensity: .equalized)
        var generator = RandomGenerator(seed: 0)
        let out = preprocessing.transform(image, generator: &generator)
        let table = Self.pillowEqualizationTable(levels)
        let equalizedFirst = Tensor(shape: [1, side, side], scalars: levels.map { Float(table[$0]) / 255 }).resized(height: 16, width: 16)
        let resizedFirst = image.resized(height: 16, width: 16).histogramEqualized()
        let gapToExpected = zip(out.scalars, equalizedFirst.scalars).map { abs($0 - $1) }.max() ?? 1
        let gapToOtherOrder = zip(out.scalars, resizedFirst.scalars).map { abs($0 - $1) }.max() ?? 0
        #expect(gapToExpected < 1e-5)
        #expect(gapToOtherOrder > 0.05, "the two orders must differ on this image for the test to mean anything")
    }

    @Test func runsWithoutTheFieldDecodeAsUnchangedAndTheChoiceRoundTrips() throws {
        let old = try JSONDecoder().decode(Preprocessing.self, from: Data(
            #"{"imageSize": 28, "channels": 1, "geometry": "stretch", "mean": [0.5], "standardDeviation": [0.25]}"#.utf8))
        #expect(old.intensity == nil)
        let equalized = Preprocessing(imageSize: 28, geometry: .stretch, mean: [0.5], standardDeviation: [0.25], intensity: .equalized)
        let decoded = try JSONDecoder().decode(Preprocessing.self, from: JSONEncoder().encode(equalized))
        #expect(decoded == equalized && decoded.intensity == .equalized)
        #expect(Preprocessing(imageSize: 28, geometry: .stretch, mean: [0], standardDeviation: [1], intensity: .unchanged).intensity == nil,
                "unchanged is stored as absent, so such runs read like older ones")
        #expect(TrainingConfiguration().intensity == .unchanged)
    }

    @Test func foldersDefaultToTheRecipeThatTransfersAndExplicitOptionsWin() {
        var scratch = TrainingConfiguration()
        scratch.applyFolderDefaults()
        #expect(scratch.augmentation == .acquisition && scratch.thresholdRule == .shiftedYouden && scratch.imageSize == 28)
        var fineTuned = TrainingConfiguration()
        fineTuned.pretrained = "efficientnet_lite0.safetensors"
        fineTuned.applyFolderDefaults()
        #expect(fineTuned.imageSize == nil, "fine-tuning keeps the 128 px default for folders")
        var explicit = TrainingConfiguration()
        explicit.imageSize = 128
        explicit.applyFolderDefaults(except: [.augmentation, .imageSize])
        #expect(explicit.augmentation == .light && explicit.imageSize == 128 && explicit.thresholdRule == .shiftedYouden)
    }
}
