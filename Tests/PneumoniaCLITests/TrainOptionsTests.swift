import ArgumentParser
import Foundation
import PneumoniaKit
import Testing
import pneumonia

/// `pneumonia train`'s options are the configuration's choices: each option sets the choice of
/// its property's name, over the defaults or over a resumed run, with today's spellings.
@Suite struct TrainOptionsTests {
    /// Every training option, given a value that is not its default.
    static let everyOption = [
        "--model", "resnet18", "--image-size", "64", "--epochs", "3", "--batch-size", "16", "--optimizer", "sgd",
        "--learning-rate", "0.01", "--weight-decay", "0.0005", "--schedule", "onecycle", "--augmentation", "strong",
        "--intensity", "equalize", "--class-balance", "sampler", "--label-smoothing", "0.1", "--patience", "4",
        "--time-limit", "2", "--threshold-rule", "youden", "--calibration", "platt", "--tta-shift", "0",
        "--seed", "7", "--workers", "1", "--frozen-epochs", "1", "--backbone-lr-scale", "0.5",
    ]

    @Test func everyOptionSetsItsChoice() throws {
        let config = try Train.parse(Self.everyOption).configuration(over: TrainingConfiguration())
        #expect(config.model == "resnet18" && config.imageSize == 64 && config.epochs == 3 && config.batchSize == 16)
        #expect(config.optimizer == .sgd && config.learningRate == 0.01 && config.weightDecay == 0.0005)
        #expect(config.schedule == .onecycle && config.augmentation == .strong && config.intensity == .equalized)
        #expect(config.classBalance == .sampler && config.labelSmoothing == 0.1 && config.patience == 4)
        #expect(config.timeLimitMinutes == 2 && config.thresholdRule == .youden && config.calibration == .platt)
        #expect(config.testTimeShift == 0 && config.seed == 7 && config.workers == 1)
        #expect(config.frozenEpochs == 1 && config.backboneLearningRateScale == 0.5)
    }

    @Test func noOptionKeepsTheDefaultsOrTheResumedRun() throws {
        #expect(try Train.parse([]).configuration(over: TrainingConfiguration()) == TrainingConfiguration())
        var saved = TrainingConfiguration()
        saved.epochs = 5
        saved.augmentation = .acquisition
        saved.imageSize = 32
        let resumed = try Train.parse(["--resume", "runs/x", "--epochs", "9"]).configuration(over: saved)
        var expected = saved
        expected.epochs = 9
        #expect(resumed == expected)
    }

    @Test func pretrainedWeightsMustExistAndAreStoredAsAnAbsolutePath() throws {
        #expect(throws: (any Error).self) { try Train.parse(["--pretrained", "/nonexistent/weights.pth"]) }
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("options-\(UUID()).safetensors")
        try Data().write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let config = try Train.parse(["--pretrained", file.path]).configuration(over: TrainingConfiguration())
        #expect(config.pretrained == file.standardizedFileURL.path)
        #expect(throws: (any Error).self) { try Train.parse(["--frozen-epochs", "-1"]) }
        #expect(throws: (any Error).self) { try Train.parse(["--backbone-lr-scale", "-0.5"]) }
    }

    @Test func choicesAreCheckedAndListedWithTheirSpellings() {
        #expect(throws: (any Error).self) { try Train.parse(["--augmentation", "wild"]) }
        #expect(throws: (any Error).self) { try Train.parse(["--intensity", "none-at-all"]) }
        let help = Train.helpMessage(columns: 10_000)
        for values in ["none, light, strong, acquisition", "none, equalize", "adamw, adam, sgd", "cosine, onecycle, step, constant",
                       "weights, sampler, none", "fixed, youden, shifted-youden", "temperature, platt, none"] {
            #expect(help.contains("(values: \(values))"), "\(values)")
        }
        for option in ["--time-limit <time-limit>", "--tta-shift <tta-shift>", "--backbone-lr-scale <backbone-lr-scale>"] {
            #expect(help.contains(option), "\(option)")
        }
    }

    @Test func calibrateOverridesOnlyWhatIsGiven() throws {
        var saved = TrainingConfiguration()
        saved.thresholdRule = .shiftedYouden
        let options = try Calibrate.parse(["--model", "runs/x", "--method", "platt"]).choices
        let config = try saved.overlaid(with: options)
        #expect(config.calibration == .platt && config.thresholdRule == .shiftedYouden)
        #expect(Calibrate.helpMessage(columns: 10_000).contains("--method <method>"))
    }
}
