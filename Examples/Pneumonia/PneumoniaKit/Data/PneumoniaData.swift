import Foundation
import Tensor
import Vision

/// The chest X-ray data a command works on: train, validation and (when present) test
/// datasets from an NPZ file in the MedMNIST layout or from an image folder.
///
/// - NPZ: the file's own `train`, `val` and `test` splits.
/// - Folder: `train/` with `NORMAL/` and `PNEUMONIA/` inside; `val/` if present, otherwise a
///   patient-grouped split of `train/` (Kermany file names carry the patient id, and a patient
///   must never be on both sides); `test/` if present. A folder that holds the class folders
///   directly is used as `train/`.
public struct PneumoniaData: Sendable {
    /// Where the data lives.
    public enum Source: Sendable, Equatable {
        /// A MedMNIST-layout NPZ file.
        case npz(URL)
        /// An image-folder root.
        case folder(URL)
    }

    /// The source.
    public let source: Source
    /// Class names in label order.
    public let classes: [String]
    /// Training images (before augmentation and preprocessing).
    public let train: AnyDataset
    /// Validation images.
    public let validation: AnyDataset
    /// Test images, if the source has a test split.
    public let test: AnyDataset?
    /// The side length of the stored images, if they all share one (NPZ), else `nil`.
    public let nativeImageSize: Int?
    /// A short fingerprint of the data (file MD5, or a hash of the file list).
    public let fingerprint: String
    /// The file or folder name (``DataName``) a run records instead of its path.
    public let name: String
    /// One line for the model card, naming the data without its path.
    public let description: String

    /// Opens `source`; `seed` and `validationFraction` define the folder split when needed.
    public init(source: Source, validationFraction: Double = 0.15, seed: UInt64 = 42) throws {
        self.source = source
        switch source {
        case .npz(let url), .folder(let url): name = DataName.of(url)
        }
        switch source {
        case .npz(let url):
            guard FileManager.default.fileExists(atPath: url.path) else {
                throw DataLocationError.notFound(searched: [url.path], hint: "check the path given to --data")
            }
            let train = try MedMNISTDataset(contentsOf: url, split: .train)
            let validation = try MedMNISTDataset(contentsOf: url, split: .val)
            let test = try MedMNISTDataset(contentsOf: url, split: .test)
            classes = ["NORMAL", "PNEUMONIA"]  // MedMNIST: 0 = normal, 1 = pneumonia
            self.train = AnyDataset(train)
            self.validation = AnyDataset(validation)
            self.test = AnyDataset(test)
            nativeImageSize = train.height == train.width ? train.height : nil
            let md5 = try MD5.hash(ofFileAt: url).hex
            fingerprint = "\(url.lastPathComponent) md5:\(md5)"
            description = "PneumoniaMNIST (MedMNIST v2, \(train.height)×\(train.width), \(train.count)/\(validation.count)/\(test.count) train/val/test), from \(url.lastPathComponent)"
        case .folder(let root):
            let fm = FileManager.default
            let trainRoot = fm.fileExists(atPath: root.appendingPathComponent("train").path)
                ? root.appendingPathComponent("train") : root
            let full = try ImageFolderDataset(root: trainRoot, colorModel: .gray)
            classes = full.classes
            let valRoot = root.appendingPathComponent("val")
            if trainRoot != root, fm.fileExists(atPath: valRoot.path) {
                train = AnyDataset(full)
                validation = AnyDataset(try ImageFolderDataset(root: valRoot, colorModel: .gray))
                description = "image folder \(DataName.of(root)) (train/ and val/)"
            } else {
                let keys = full.paths.map { kermanyPatientIdentifier(fileName: URL(fileURLWithPath: $0).lastPathComponent) }
                let split = groupedSplit(keys: keys, labels: full.labels, fraction: validationFraction, seed: seed)
                train = AnyDataset(full.subset(split.training))
                validation = AnyDataset(full.subset(split.validation))
                description = "image folder \(DataName.of(trainRoot)), patient-grouped validation split "
                    + "(\(split.training.count) train / \(split.validation.count) val images, seed \(seed))"
            }
            let testRoot = root.appendingPathComponent("test")
            test = trainRoot != root && fm.fileExists(atPath: testRoot.path)
                ? AnyDataset(try ImageFolderDataset(root: testRoot, colorModel: .gray)) : nil
            nativeImageSize = nil
            var hasher = MD5()
            for path in full.paths { hasher.update(String(path.dropFirst(root.path.count)) + "\n") }
            fingerprint = "\(full.paths.count) files md5:\(hasher.finalize().hex)"
        }
    }

    /// The data for a run: `--data` if given (an .npz file or a folder), else PneumoniaMNIST at
    /// `imageSize` (28 when unspecified) from `$FATHOM_DATA` or the cache — downloaded into the
    /// cache first when it is in neither and a `downloader` is given.
    public static func resolve(path: String?, imageSize: Int?, location: DataLocation = DataLocation(),
                               downloader: Downloader? = nil, validationFraction: Double = 0.15,
                               seed: UInt64 = 42) async throws -> PneumoniaData {
        guard let path else {
            let file = try await location.locate(RemoteDataset.pneumoniaMNIST(forImageSize: imageSize), downloadingWith: downloader)
            return try PneumoniaData(source: .npz(file), validationFraction: validationFraction, seed: seed)
        }
        let url = URL(fileURLWithPath: (path as NSString).expandingTildeInPath)
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw DataLocationError.notFound(searched: [url.path], hint: "check the path given to --data")
        }
        return try open(url, validationFraction: validationFraction, seed: seed)
    }

    /// The data the run described by `metadata` was trained on, found again from what it
    /// records (``TrainingConfiguration/Values/dataPath``): a name is looked for in `$FATHOM_DATA`
    /// and the cache (a catalogued PneumoniaMNIST file downloaded when missing and a
    /// `downloader` is given); the absolute path that older runs record is used while it
    /// exists. The data found must have the run's fingerprint.
    public static func resolve(trainingDataOf metadata: RunMetadata, location: DataLocation = DataLocation(),
                               downloader: Downloader? = nil) async throws -> PneumoniaData {
        let config = metadata.configuration
        let data: PneumoniaData
        if let recorded = config.dataPath, recorded.hasPrefix("/"), FileManager.default.fileExists(atPath: recorded) {
            data = try open(URL(fileURLWithPath: recorded), validationFraction: config.validationFraction, seed: config.seed)
        } else {
            let name = config.dataPath.map { $0.hasPrefix("/") ? URL(fileURLWithPath: $0).lastPathComponent : $0 }
                ?? RemoteDataset.pneumoniaMNIST(forImageSize: config.imageSize).fileName
            let file: URL
            if let catalogued = RemoteDataset.pneumoniaMNIST(fileName: name) {
                file = try await location.locate(catalogued, downloadingWith: downloader)
            } else {
                file = try location.locate(named: name, hint: "pass --data with the location of '\(name)', the data the run "
                    + "was trained on (fingerprint \(metadata.dataFingerprint))")
            }
            data = try open(file, validationFraction: config.validationFraction, seed: config.seed)
        }
        guard data.fingerprint == metadata.dataFingerprint else {
            throw RunError.incompatible("the data found for this run, \(data.description), is not the data it was trained on "
                + "(fingerprint \(data.fingerprint), the run's: \(metadata.dataFingerprint)); pass --data")
        }
        return data
    }

    /// Opens an existing .npz file or folder.
    private static func open(_ url: URL, validationFraction: Double, seed: UInt64) throws -> PneumoniaData {
        var isDirectory: ObjCBool = false
        _ = FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory)
        return try PneumoniaData(source: isDirectory.boolValue ? .folder(url) : .npz(url),
                                 validationFraction: validationFraction, seed: seed)
    }

    /// The split called `name` (`train`, `val` or `test`).
    public func split(_ name: String) throws(RunError) -> AnyDataset {
        switch name {
        case "train": return train
        case "val", "validation": return validation
        case "test":
            guard let test else { throw .incompatible("this data has no test split (a folder needs a test/ subfolder)") }
            return test
        default: throw .incompatible("unknown split '\(name)': use train, val or test")
        }
    }
}
