import ArgumentParser
import Foundation
import PneumoniaKit

/// `pneumonia evaluate`: metrics of a run's model on labelled data, with ROC and confusion PNGs.
struct Evaluate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Evaluate a trained model: accuracy, precision, recall, specificity, F1, ROC AUC, confusion matrix.")

    @Option(help: "The run directory written by `pneumonia train`.")
    var model: String

    @Option(help: ArgumentHelp(
        "Labelled data (default: the data the model was trained on).",
        discussion: "An .npz file in the MedMNIST layout, a folder holding train/, val/ or test/ (only the split "
            + "evaluated is read), or a folder of class folders (NORMAL/, PNEUMONIA/), scored whole."))
    var data: String?

    @Option(help: "train, val or test.")
    var split = "test"

    @Flag(help: "Print one JSON object instead of a table.")
    var json = false

    @Flag(help: "Score each image once, without the run's test-time augmentation (for comparison).")
    var singleView = false

    @Flag(help: ArgumentHelp(
        "Also score the split under simulated acquisition shifts (exposure, contrast, blur, noise, JPEG, "
            + "field of view, aspect, markers) and show how far the operating point moves.",
        discussion: "A stress test for transfer to other hospitals' images; see README, \"Generalization\"."))
    var shifts = false

    @Flag(help: "Report the network's raw score instead of the calibrated probability (the run's calibration).")
    var uncalibrated = false

    @Option(help: "Bootstrap resamples for the 95 % confidence intervals (0 = none).")
    var bootstrap = 2000

    func run() async throws {
        guard bootstrap >= 0 else { throw ValidationError("--bootstrap must be 0 or more") }
        let run = RunDirectory(URL(fileURLWithPath: model))
        var classifier = try Classifier(run: run, calibrated: !uncalibrated)
        if singleView {
            var metadata = classifier.metadata
            metadata.testTimeAugmentation = nil
            classifier = Classifier(model: classifier.model, metadata: metadata, calibrated: !uncalibrated)
        }
        let metadata = classifier.metadata
        let images: EvaluationSet
        if let data {
            images = try EvaluationSet(path: data, split: split, metadata: metadata)
        } else {
            images = try await EvaluationSet.trainingData(of: metadata, split: split)
        }
        if shifts {
            let stress = try ShiftEvaluation(classifier: classifier, dataset: images.dataset, workers: metadata.configuration.workers)
            if json {
                var object = stress.jsonObject
                object["split"] = split
                let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
                print(String(decoding: data, as: UTF8.self))
            } else {
                print(stress.table(title: "\(metadata.architecture) on \(images.description), under acquisition shifts"))
            }
            return
        }
        let evaluation = try Evaluation(classifier: classifier, dataset: images.dataset, workers: metadata.configuration.workers)
        let intervals = bootstrap > 0 ? evaluation.confidenceIntervals(resamples: bootstrap) : nil
        try evaluation.writePlots(roc: run.rocImage, confusion: run.confusionImage, reliability: run.reliabilityImage, dataName: images.name, intervals: intervals)
        if json {
            var object = evaluation.atThreshold.jsonObject
            if let intervals { object.merge(intervals.jsonObject) { current, _ in current } }
            object["ece"] = evaluation.calibration.expectedCalibrationError
            object["log_loss"] = evaluation.calibration.logLoss
            object["brier"] = evaluation.calibration.brierScore
            object["calibrated"] = classifier.isCalibrated
            if let calibration = metadata.calibration {
                object["calibration"] = ["method": calibration.method.rawValue, "temperature": calibration.temperature,
                                         "intercept": calibration.intercept]
            }
            object["at_0.5"] = evaluation.atHalf.jsonObject
            object["split"] = split
            let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
            print(String(decoding: data, as: UTF8.self))
        } else {
            print(evaluation.table(title: "\(metadata.architecture) on \(images.description)", intervals: intervals))
            print(Self.calibrationLine(classifier))
            print("\nwrote \(run.rocImage.path)\nwrote \(run.confusionImage.path)\nwrote \(run.reliabilityImage.path)")
        }
    }

    /// Which scale the probabilities are on, under the table.
    static func calibrationLine(_ classifier: Classifier) -> String {
        guard let calibration = classifier.metadata.calibration else {
            return "probabilities: the network's raw scores (the run has no calibration)"
        }
        return String(format: "probabilities: %@ (%@ scaling: temperature %.3f, intercept %.3f, fitted on %d validation images)",
                      classifier.isCalibrated ? "calibrated" : "raw scores, --uncalibrated", calibration.method.rawValue,
                      calibration.temperature, calibration.intercept, calibration.count)
    }
}
