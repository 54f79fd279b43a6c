import Foundation
import PneumoniaKit
import Testing

/// Run directories written before the configuration's choices were declared once still load
/// and are written back byte for byte. The fixtures are the run.json files `pneumonia train`
/// wrote at e63e10f: `--data xrays --image-size 32 --epochs 1 --batch-size 8 --optimizer sgd
/// --learning-rate 0.01 --weight-decay 0.0005 --schedule onecycle --augmentation strong
/// --intensity equalize --class-balance sampler --label-smoothing 0.1 --patience 3 --time-limit 2
/// --threshold-rule youden --calibration platt --tta-shift 0.05 --seed 7 --workers 1`, and a
/// transfer run `--model mobilenet-v2 --pretrained …safetensors --frozen-epochs 1
/// --backbone-lr-scale 0.2 --image-size 32 --epochs 1 --batch-size 8` on the same folder.
@Suite struct RunJSONCompatibilityTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    /// The fixture's metadata, read from a run directory, and the run.json written back from it.
    func roundTrip(_ fixture: String) throws -> (metadata: RunMetadata, original: String, written: String) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("fathom-runjson-\(UUID())")
        defer { try? FileManager.default.removeItem(at: directory) }
        let run = RunDirectory(directory)
        try run.create()
        let original = try String(contentsOf: Self.fixtures.appendingPathComponent(fixture), encoding: .utf8)
        try Data(original.utf8).write(to: run.metadataFile)
        let metadata = try run.readMetadata()
        try run.writeMetadata(metadata)
        return (metadata, original, try String(contentsOf: run.metadataFile, encoding: .utf8))
    }

    @Test func everyChoiceOfATrainingRunLoadsAndIsWrittenBackUnchanged() throws {
        let (metadata, original, written) = try roundTrip("run-e63e10f-options.json")
        let config = metadata.configuration
        #expect(config.model == "compact-cnn" && config.imageSize == 32 && config.epochs == 1 && config.batchSize == 8)
        #expect(config.optimizer == .sgd && config.learningRate == 0.01 && config.weightDecay == 0.0005)
        #expect(config.schedule == .onecycle && config.warmupEpochs == 1 && config.augmentation == .strong)
        #expect(config.intensity == .equalized && config.classBalance == .sampler && config.labelSmoothing == 0.1)
        #expect(config.weightAverageDecay == 0.998 && config.patience == 3 && config.timeLimitMinutes == 2)
        #expect(config.validationFraction == 0.15 && config.thresholdRule == .youden && config.calibration == .platt)
        #expect(config.testTimeShift == 0.05 && config.seed == 7 && config.workers == 1 && config.dataPath == "xrays")
        #expect(config.pretrained == nil && config.frozenEpochs == nil && config.backboneLearningRateScale == 0.1)
        #expect(metadata.preprocessing.intensity == .equalized && metadata.calibration?.method == .platt)
        #expect(written == original)
    }

    @Test func aTransferRunLoadsAndIsWrittenBackUnchanged() throws {
        let (metadata, original, written) = try roundTrip("run-e63e10f-transfer.json")
        let config = metadata.configuration
        #expect(config.model == "mobilenet-v2" && config.pretrained == "mobilenet_v2_1.0_224_dequant.safetensors")
        #expect(config.frozenEpochs == 1 && config.frozenEpochCount == 1 && config.backboneLearningRateScale == 0.2)
        #expect(config.augmentation == .acquisition && config.thresholdRule == .shiftedYouden && config.intensity == .unchanged)
        #expect(written == original)
    }
}
