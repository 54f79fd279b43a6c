import ArgumentParser
import Foundation
import PneumoniaKit

/// `pneumonia evaluate`: metrics of a run's model on a data split, with ROC and confusion PNGs.
struct Evaluate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Evaluate a trained model: accuracy, precision, recall, specificity, F1, ROC AUC, confusion matrix.")

    @Option(help: "The run directory written by `pneumonia train`.")
    var model: String

    @Option(help: "Data to evaluate on (default: the data the model was trained on).")
    var data: String?

    @Option(help: "train, val or test.")
    var split = "test"

    @Flag(help: "Print one JSON object instead of a table.")
    var json = false

    @Flag(help: "Score each image once, without the run's test-time augmentation (for comparison).")
    var singleView = false

    func run() throws {
        let run = RunDirectory(URL(fileURLWithPath: model))
        var classifier = try Classifier(run: run)
        if singleView {
            var metadata = classifier.metadata
            metadata.testTimeAugmentation = nil
            classifier = Classifier(model: classifier.model, metadata: metadata)
        }
        let config = classifier.metadata.configuration
        let source = try PneumoniaData.resolve(path: data ?? config.dataPath, imageSize: config.imageSize,
                                               validationFraction: config.validationFraction, seed: config.seed)
        let dataset = try source.split(split)
        let evaluation = try Evaluation(classifier: classifier, dataset: dataset, workers: config.workers)
        try evaluation.writePlots(roc: run.rocImage, confusion: run.confusionImage, splitName: split)
        if json {
            var object = evaluation.atThreshold.jsonObject
            object["at_0.5"] = evaluation.atHalf.jsonObject
            object["split"] = split
            let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
            print(String(decoding: data, as: UTF8.self))
        } else {
            print(evaluation.table(title: "\(classifier.metadata.architecture) on the \(split) split of \(source.description)"))
            print("\nwrote \(run.rocImage.path)\nwrote \(run.confusionImage.path)")
        }
    }
}
