import Foundation
import Layers
import Tensor

/// The files of a training run, in one folder:
///
/// - `model.safetensors`: the best (averaged) weights by validation AUC, with the metadata as JSON in the
///   safetensors header, so the file alone is enough to serve the model;
/// - `run.json`: the same metadata, readable;
/// - `last.safetensors`, `optimizer.safetensors`, `average.safetensors`: the last epoch's
///   weights, optimizer state and weight average, for `--resume`;
/// - `metrics.csv`: one row per epoch; `training_curves.png`, `roc_curve.png`,
///   `confusion_matrix.png`: pictures of the same.
public struct RunDirectory: Sendable {
    /// The folder.
    public let url: URL

    /// A run directory at `url` (not created until something is written).
    public init(_ url: URL) { self.url = url }

    /// `model.safetensors`.
    public var bestModel: URL { url.appendingPathComponent("model.safetensors") }
    /// `last.safetensors`.
    public var lastModel: URL { url.appendingPathComponent("last.safetensors") }
    /// `optimizer.safetensors`.
    public var optimizerState: URL { url.appendingPathComponent("optimizer.safetensors") }
    /// `average.safetensors`: the running weight average, for `--resume`.
    public var weightAverage: URL { url.appendingPathComponent("average.safetensors") }
    /// `run.json`.
    public var metadataFile: URL { url.appendingPathComponent("run.json") }
    /// `metrics.csv`.
    public var metricsFile: URL { url.appendingPathComponent("metrics.csv") }
    /// `training_curves.png`.
    public var curvesImage: URL { url.appendingPathComponent("training_curves.png") }
    /// `roc_curve.png`.
    public var rocImage: URL { url.appendingPathComponent("roc_curve.png") }
    /// `confusion_matrix.png`.
    public var confusionImage: URL { url.appendingPathComponent("confusion_matrix.png") }
    /// The reliability diagram `evaluate` writes.
    public var reliabilityImage: URL { url.appendingPathComponent("reliability.png") }

    /// Creates the folder.
    public func create() throws {
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    /// Writes `run.json` atomically.
    public func writeMetadata(_ metadata: RunMetadata) throws {
        try RunDirectory.encoder.encode(metadata).write(to: metadataFile, options: .atomic)
    }

    /// Reads `run.json`. Runs written before data was recorded by name describe it with its
    /// absolute path; the description is read with the path reduced to its name
    /// (``DataName``), so that nothing shows it — the model card least of all.
    public func readMetadata() throws(RunError) -> RunMetadata {
        let data: Data
        do { data = try Data(contentsOf: metadataFile) } catch {
            throw .missing(path: metadataFile.path, hint: "is \(url.path) a run directory written by `pneumonia train`?")
        }
        var metadata: RunMetadata
        do { metadata = try RunDirectory.decoder.decode(RunMetadata.self, from: data) } catch {
            throw .malformed(path: metadataFile.path, reason: "\(error)")
        }
        metadata.dataDescription = DataName.redactingAbsolutePaths(in: metadata.dataDescription)
        return metadata
    }

    /// Saves a model with the metadata embedded in the safetensors header.
    public func save(_ model: Module, metadata: RunMetadata, to file: URL) throws {
        let json = String(decoding: try RunDirectory.encoder.encode(metadata), as: UTF8.self)
        try model.save(to: file, metadata: ["fathom.run": json])
    }

    /// Reads what ``encoder`` writes.
    static var decoder: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return decoder
    }

    /// JSON with sorted keys and non-finite numbers allowed (metrics can be NaN).
    static var encoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return encoder
    }
}

/// A run directory that cannot be used.
public enum RunError: Error, CustomStringConvertible, Equatable {
    /// A required file is absent.
    case missing(path: String, hint: String)
    /// A file exists but cannot be read as expected.
    case malformed(path: String, reason: String)
    /// The run cannot be resumed with the given options.
    case incompatible(String)

    /// What is wrong, naming the file.
    public var description: String {
        switch self {
        case let .missing(path, hint): "missing \(path): \(hint)"
        case let .malformed(path, reason): "cannot read \(path): \(reason)"
        case let .incompatible(reason): reason
        }
    }
}
