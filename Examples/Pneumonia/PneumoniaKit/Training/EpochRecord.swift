import Foundation

/// One row of `metrics.csv`: what an epoch did and how the model scored on validation.
public struct EpochRecord: Sendable, Equatable {
    /// 1-based epoch number.
    public var epoch: Int
    /// Mean training loss and accuracy (on augmented images, in training mode).
    public var trainLoss: Double, trainAccuracy: Double
    /// Validation loss, accuracy (at 0.5), ROC AUC, sensitivity and specificity.
    public var validationLoss: Double, validationAccuracy: Double, validationAUC: Double
    /// Validation sensitivity and specificity at 0.5.
    public var validationSensitivity: Double, validationSpecificity: Double
    /// Learning rate at the end of the epoch.
    public var learningRate: Double
    /// Seconds the epoch took, and training images per second.
    public var seconds: Double, imagesPerSecond: Double

    /// The CSV header.
    public static let header = "epoch,train_loss,train_accuracy,val_loss,val_accuracy,val_auc,val_sensitivity,val_specificity,learning_rate,seconds,images_per_second"

    /// The CSV row.
    public var csvRow: String {
        let values = [trainLoss, trainAccuracy, validationLoss, validationAccuracy, validationAUC, validationSensitivity,
                      validationSpecificity, learningRate, seconds, imagesPerSecond]
        return ([String(epoch)] + values.map { String(format: "%.6g", $0) }).joined(separator: ",")
    }

    /// Parses a row written by ``csvRow``.
    public init?(csvRow: String) {
        let fields = csvRow.split(separator: ",").map(String.init)
        guard fields.count == 11, let epoch = Int(fields[0]) else { return nil }
        let v = fields.dropFirst().map { Double($0) ?? .nan }
        self.init(epoch: epoch, trainLoss: v[0], trainAccuracy: v[1], validationLoss: v[2], validationAccuracy: v[3],
                  validationAUC: v[4], validationSensitivity: v[5], validationSpecificity: v[6], learningRate: v[7],
                  seconds: v[8], imagesPerSecond: v[9])
    }

    /// A record from its values.
    public init(epoch: Int, trainLoss: Double, trainAccuracy: Double, validationLoss: Double, validationAccuracy: Double,
                validationAUC: Double, validationSensitivity: Double, validationSpecificity: Double, learningRate: Double,
                seconds: Double, imagesPerSecond: Double) {
        (self.epoch, self.trainLoss, self.trainAccuracy) = (epoch, trainLoss, trainAccuracy)
        (self.validationLoss, self.validationAccuracy, self.validationAUC) = (validationLoss, validationAccuracy, validationAUC)
        (self.validationSensitivity, self.validationSpecificity) = (validationSensitivity, validationSpecificity)
        (self.learningRate, self.seconds, self.imagesPerSecond) = (learningRate, seconds, imagesPerSecond)
    }

    /// Reads every row of a metrics file (an absent file has none).
    public static func read(_ url: URL) -> [EpochRecord] {
        guard let text = try? String(contentsOf: url, encoding: .utf8) else { return [] }
        return text.split(separator: "\n").dropFirst().compactMap { EpochRecord(csvRow: String($0)) }
    }

    /// Writes all rows atomically.
    public static func write(_ records: [EpochRecord], to url: URL) throws {
        try ([header] + records.map(\.csvRow)).joined(separator: "\n").appending("\n")
            .write(to: url, atomically: true, encoding: .utf8)
    }

    /// The training-curve picture: losses, and validation AUC and accuracy, per epoch.
    public static func curves(_ records: [EpochRecord]) -> Canvas {
        let x = records.map { Double($0.epoch) }
        var loss = LineChart(title: "Loss", xLabel: "epoch", yLabel: "cross-entropy", series: [
            .init(label: "train", points: Array(zip(x, records.map(\.trainLoss)))),
            .init(label: "validation", points: Array(zip(x, records.map(\.validationLoss)))),
        ])
        loss.width = 560
        var quality = LineChart(title: "Validation", xLabel: "epoch", yLabel: "score", series: [
            .init(label: "ROC AUC", points: Array(zip(x, records.map(\.validationAUC)))),
            .init(label: "accuracy @0.5", points: Array(zip(x, records.map(\.validationAccuracy)))),
            .init(label: "train accuracy", points: Array(zip(x, records.map(\.trainAccuracy))), dashed: true),
        ])
        quality.width = 560
        return Canvas.sideBySide(loss.render(), quality.render())
    }
}
