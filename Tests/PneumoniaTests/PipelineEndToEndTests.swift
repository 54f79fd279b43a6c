import FathomTestSupport
import Foundation
import PneumoniaKit
import Serialization
import Tensor
import Testing
import Vision

/// The whole pipeline on a small real subset of PneumoniaMNIST: train writes a run directory,
/// evaluate reproduces the validation metrics stored in it, predict on one image agrees with
/// evaluate, and resume continues from the saved epoch.
@Suite(.serialized) struct PipelineEndToEndTests {
    /// An NPZ with the first rows of each split of the real file.
    static func makeSubset(train: Int, validation: Int, test: Int) throws -> URL {
        let source = try SharedData.dataFile("pneumoniamnist/pneumoniamnist.npz")
        let archive = try NPZArchive(contentsOf: source)
        var arrays: [String: NPYArray] = [:]
        for (split, rows) in [("train", train), ("val", validation), ("test", test)] {
            for kind in ["images", "labels"] {
                let array = try archive.array(named: "\(split)_\(kind)")
                let rowBytes = array.data.count / array.shape[0]
                arrays["\(split)_\(kind)"] = NPYArray(shape: [rows] + array.shape.dropFirst(), dtype: array.dtype,
                                                      data: Array(array.data.prefix(rows * rowBytes)))
            }
        }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("fathom-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let url = directory.appendingPathComponent("subset.npz")
        try NPZ.write(arrays, to: url)
        return url
    }

    @Test func trainEvaluatePredictResume() throws {
        let npz = try Self.makeSubset(train: 320, validation: 128, test: 96)
        let data = try PneumoniaData(source: .npz(npz))
        let run = RunDirectory(npz.deletingLastPathComponent().appendingPathComponent("run"))
        var config = TrainingConfiguration()
        config.epochs = 1
        config.batchSize = 32
        config.patience = 0
        config.seed = 7
        config.dataPath = npz.path
        var lines: [String] = []
        let metadata = try Trainer(configuration: config, data: data, run: run) { lines.append($0) }
            .train(showProgress: false)

        // The run directory holds everything the README promises.
        for file in [run.bestModel, run.lastModel, run.optimizerState, run.metadataFile, run.metricsFile, run.curvesImage] {
            #expect(FileManager.default.fileExists(atPath: file.path), "missing \(file.lastPathComponent)")
        }
        let curves = try Image(contentsOf: run.curvesImage)
        #expect(curves.width > 500 && curves.height > 300)
        #expect(metadata.epochsCompleted == 1 && metadata.bestEpoch == 1)
        #expect(try run.readMetadata() == metadata)
        #expect(lines.contains { $0.hasPrefix("epoch 1:") })

        // Evaluate reproduces the stored validation metrics exactly.
        let classifier = try Classifier(run: run)
        let evaluation = try Evaluation(classifier: classifier, dataset: data.validation)
        #expect(evaluation.atThreshold.n == 128)
        #expect(evaluation.atThreshold.auc == metadata.validation["auc"])
        #expect(evaluation.atThreshold.accuracy == metadata.validation["accuracy"])
        #expect(evaluation.atThreshold.specificity == metadata.validation["specificity"])

        // Predict on one decoded image agrees with evaluate's probability for it.
        let sample = try data.validation.sample(at: 5)
        let image = Image(tensor: sample.image)
        #expect(abs(classifier.probability(of: image) - evaluation.probabilities[5]) < 1e-5)

        // The calibration was fitted to the best model's raw validation scores at the end
        // of training; the calibrated probabilities are that map of the raw ones, with the same
        // decisions at the threshold on each scale.
        let calibration = try #require(metadata.calibration)
        #expect(calibration.count == 128)
        #expect(calibration.negativeLogLikelihoodAfter <= calibration.negativeLogLikelihoodBefore)
        let raw = try Classifier(run: run, calibrated: false)
        #expect(classifier.isCalibrated && !raw.isCalibrated)
        let rawEvaluation = try Evaluation(classifier: raw, dataset: data.validation)
        #expect(calibration.method == .temperature, "the default")
        #expect(ProbabilityCalibration(.temperature, fittedTo: rawEvaluation.labels, probabilities: rawEvaluation.probabilities) == calibration)
        for (p, q) in zip(rawEvaluation.probabilities, evaluation.probabilities) {
            #expect(abs(calibration.calibrate(p) - q) <= 1e-6)
        }
        #expect(rawEvaluation.atThreshold.confusion == evaluation.atThreshold.confusion)
        #expect(abs(Double(raw.threshold) - Double(calibration.uncalibrate(metadata.threshold))) == 0)

        // Resume continues from the saved epoch and keeps the first epoch's record.
        let firstRow = try String(contentsOf: run.metricsFile, encoding: .utf8).split(separator: "\n")[1]
        config.epochs = 2
        let resumed = try Trainer(configuration: config, data: data, run: run) { _ in }.train(resume: true, showProgress: false)
        #expect(resumed.epochsCompleted == 2)
        let rows = try String(contentsOf: run.metricsFile, encoding: .utf8).split(separator: "\n")
        #expect(rows.count == 3)
        #expect(rows[1] == firstRow)
        #expect(rows[2].hasPrefix("2,"))
        #expect(resumed.calibration?.count == 128, "the resumed run is calibrated again")

        // `pneumonia calibrate` on the finished run: raw scores and Youden's threshold now.
        var configuration = resumed.configuration
        (configuration.calibration, configuration.thresholdRule) = (.none, .youden)
        let recalibrated = try RunCalibration(run: run, validation: data.validation, method: nil, thresholdRule: .youden) { _ in }
            .apply(recording: configuration)
        #expect(recalibrated.calibration == nil && recalibrated.configuration.calibration == .none)
        #expect(try run.readMetadata() == recalibrated)
        let rawNow = try Classifier(run: run)
        #expect(!rawNow.isCalibrated && rawNow.threshold == recalibrated.threshold)
        let atYouden = try Evaluation(classifier: rawNow, dataset: data.validation)
        #expect(atYouden.atThreshold.recall == recalibrated.validation["sensitivity"])
        #expect(atYouden.atThreshold.specificity == recalibrated.validation["specificity"])
        #expect(atYouden.atThreshold.recall + atYouden.atThreshold.specificity >= atYouden.atHalf.recall + atYouden.atHalf.specificity,
                "Youden's threshold is at least as good as 0.5 by its own measure")

        // Platt scaling with the fixed rule: the threshold is the network's 0.5 on the calibrated
        // scale, so every decision is the raw model's at 0.5.
        let platt = try RunCalibration(run: run, validation: data.validation, method: .platt, thresholdRule: .fixed) { _ in }.apply()
        #expect(platt.calibration?.method == .platt && platt.threshold == platt.calibration?.calibrate(0.5))
        let calibratedDecisions = try Evaluation(classifier: Classifier(run: run), dataset: data.validation)
        let rawDecisions = try Evaluation(classifier: Classifier(run: run, calibrated: false), dataset: data.validation)
        #expect(calibratedDecisions.atThreshold.confusion == rawDecisions.atHalf.confusion)
    }

    /// `--threshold-rule shifted-youden`: the stored threshold maximizes sensitivity +
    /// specificity over the validation images pooled across every acquisition shift, checked
    /// here by scoring each shifted copy again and searching all thresholds by brute force.
    @Test func shiftedYoudenThresholdIsOptimalOnShiftedValidation() throws {
        let npz = try Self.makeSubset(train: 256, validation: 96, test: 8)
        let data = try PneumoniaData(source: .npz(npz))
        let run = RunDirectory(npz.deletingLastPathComponent().appendingPathComponent("run"))
        var config = TrainingConfiguration()
        (config.epochs, config.batchSize, config.seed) = (1, 32, 3)
        config.augmentation = .acquisition
        config.thresholdRule = .shiftedYouden
        var lines: [String] = []
        let metadata = try Trainer(configuration: config, data: data, run: run) { lines.append($0) }.train(showProgress: false)
        #expect(lines.contains { $0.contains("acquisition shifts") })
        #expect(metadata.thresholdRule.contains("acquisition shifts"))

        let classifier = try Classifier(run: run)
        #expect(classifier.metadata.threshold == metadata.threshold, "run.json and the run's reported metadata agree")
        var labels: [Int] = [], scores: [Float] = []
        for shift in [nil] + AcquisitionShift.suite {
            let dataset = shift.map { AnyDataset(TransformedDataset(data.validation, transform: $0)) } ?? data.validation
            let (l, p) = try classifier.predict(dataset)
            labels += l
            scores += p
        }
        func youdenJ(_ threshold: Float) -> Double {
            var tp = 0, tn = 0
            for (label, score) in zip(labels, scores) {
                if label == 1 && score >= threshold { tp += 1 }
                if label == 0 && score < threshold { tn += 1 }
            }
            let positives = labels.filter { $0 == 1 }.count
            return Double(tp) / Double(positives) + Double(tn) / Double(labels.count - positives) - 1
        }
        let best = Set(scores).map(youdenJ).max() ?? 0
        #expect(abs(youdenJ(metadata.threshold) - best) < 1e-12, "J \(youdenJ(metadata.threshold)) at the stored threshold, best \(best)")
        let clean = try Evaluation(classifier: classifier, dataset: data.validation)
        #expect(clean.atThreshold.recall == metadata.validation["sensitivity"])
        #expect(clean.atThreshold.specificity == metadata.validation["specificity"])
    }

    @Test func resumingOnOtherDataIsRefused() throws {
        let a = try Self.makeSubset(train: 96, validation: 64, test: 32)
        let b = try Self.makeSubset(train: 128, validation: 64, test: 32)
        let run = RunDirectory(a.deletingLastPathComponent().appendingPathComponent("run"))
        var config = TrainingConfiguration()
        config.epochs = 1
        config.batchSize = 32
        _ = try Trainer(configuration: config, data: try PneumoniaData(source: .npz(a)), run: run) { _ in }.train(showProgress: false)
        #expect(throws: RunError.self) {
            try Trainer(configuration: config, data: try PneumoniaData(source: .npz(b)), run: run) { _ in }
                .train(resume: true, showProgress: false)
        }
    }

    @Test func missingRunDirectoryIsAClearError() {
        #expect(throws: RunError.self) { try Classifier(run: RunDirectory(URL(fileURLWithPath: "/nonexistent/run"))) }
    }
}

/// Run metadata written before an option existed still loads, with that option's default.
@Suite struct TrainingConfigurationCodingTests {
    @Test func missingKeysTakeDefaultsAndWrongTypesThrow() throws {
        let old = #"{"model": "resnet18", "epochs": 7, "seed": 3}"#
        let config = try JSONDecoder().decode(TrainingConfiguration.self, from: Data(old.utf8))
        #expect(config.model == "resnet18" && config.epochs == 7 && config.seed == 3)
        #expect(config.weightAverageDecay == TrainingConfiguration().weightAverageDecay)
        #expect(config.imageSize == nil)
        let roundTrip = try JSONDecoder().decode(TrainingConfiguration.self, from: JSONEncoder().encode(config))
        #expect(roundTrip == config)
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(TrainingConfiguration.self, from: Data(#"{"epochs": "many"}"#.utf8))
        }
        // The choices are enums whose raw values are the spellings run.json has always held.
        let choices = #"{"optimizer": "sgd", "schedule": "onecycle", "classBalance": "sampler", "thresholdRule": "shifted-youden", "calibration": "platt"}"#
        let decoded = try JSONDecoder().decode(TrainingConfiguration.self, from: Data(choices.utf8))
        #expect(decoded.optimizer == .sgd && decoded.schedule == .onecycle && decoded.classBalance == .sampler)
        #expect(decoded.thresholdRule == .shiftedYouden && decoded.calibration == .platt)
        let encoded = String(decoding: try JSONEncoder().encode(decoded), as: UTF8.self)
        #expect(encoded.contains(#""thresholdRule":"shifted-youden""#) && encoded.contains(#""optimizer":"sgd""#))
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(TrainingConfiguration.self, from: Data(#"{"optimizer": "lbfgs"}"#.utf8))
        }
    }
}
