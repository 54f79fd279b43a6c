import Foundation
import Vision

/// The labelled images `pneumonia evaluate` scores, labelled as the model's classes.
///
/// `--data` may be any labelled data, and only the images scored are opened — never the
/// training data (except for a `val` split that has to be cut from `train/`):
///
/// - an `.npz` file in the MedMNIST layout: its split;
/// - a folder holding `train/`, `val/` or `test/` (a Kermany download, or a root with only
///   `test/`): the folder of the split;
/// - any other folder: its class folders (`NORMAL/`, `PNEUMONIA/`, or only some of them),
///   whatever the split.
///
/// Folders may be symbolic links, and so may the class folders and images inside them.
public struct EvaluationSet: Sendable {
    /// The images, with the model's class numbers as labels.
    public let dataset: AnyDataset
    /// What was scored, for the table's title: "the test split of chest_xray", "folder xrays".
    public let description: String
    /// A short name for the plots' titles: "test split", "folder xrays".
    public let name: String

    private init(dataset: AnyDataset, description: String, name: String) {
        self.dataset = dataset
        self.description = description
        self.name = name
    }

    /// The images at `path` (an `.npz` file or a folder, see above) for the model of the run
    /// described by `metadata`; `split` is `train`, `val` or `test`.
    ///
    /// - Throws: ``DataLocationError`` when nothing is at `path`, ``EvaluationSetError`` when
    ///   the split or the classes do not fit, the data's own errors (naming the file) when it
    ///   cannot be read.
    public init(path: String, split: String, metadata: RunMetadata) throws {
        let url = URL(fileURLWithPath: (path as NSString).expandingTildeInPath)
        let split = try Self.canonical(split)
        guard let isFolder = Self.kind(of: url) else {
            throw DataLocationError.notFound(searched: [url.path], hint: "check the path given to --data")
        }
        let name = DataName.of(url)
        guard isFolder else {
            let images = try MedMNISTDataset(contentsOf: url, split: MedMNISTDataset.Split(rawValue: split)!)
            self.init(dataset: AnyDataset(images), description: "the \(split) split of \(name)", name: "\(split) split")
            return
        }
        let present = DataName.splitFolders.sorted().filter { Self.kind(of: url.appendingPathComponent($0)) == true }
        if present.isEmpty {
            self.init(dataset: try Self.classFolders(url, metadata: metadata), description: "folder \(name)", name: "folder \(name)")
        } else if present.contains(split) {
            self.init(dataset: try Self.classFolders(url.appendingPathComponent(split), metadata: metadata),
                      description: "the \(split) split of \(name)", name: "\(split) split")
        } else if split == "val", present.contains("train") {
            // No val/: the patient-grouped split of train/ that training made with this run's seed.
            let config = metadata.configuration
            let data = try PneumoniaData(source: .folder(url), validationFraction: config.validationFraction, seed: config.seed)
            self.init(dataset: try Self.relabelled(data.validation, classes: data.classes, folder: url.path, to: metadata.classes),
                      description: "the val split of \(data.description)", name: "val split")
        } else {
            throw EvaluationSetError.missingSplit(root: url.path, split: split, present: present)
        }
    }

    /// `split` of the data the run described by `metadata` was trained on, found again from
    /// what the run records (see ``PneumoniaData/resolve(trainingDataOf:location:downloader:)``).
    public static func trainingData(of metadata: RunMetadata, split: String,
                                    location: DataLocation = DataLocation()) async throws -> EvaluationSet {
        let split = try canonical(split)
        let data = try await PneumoniaData.resolve(trainingDataOf: metadata, location: location)
        let dataset = try relabelled(data.split(split), classes: data.classes, folder: data.name, to: metadata.classes)
        return EvaluationSet(dataset: dataset, description: "the \(split) split of \(data.description)", name: "\(split) split")
    }

    /// `train`, `val` (also `validation`) or `test`.
    private static func canonical(_ split: String) throws(EvaluationSetError) -> String {
        let name = split == "validation" ? "val" : split
        guard DataName.splitFolders.contains(name) else { throw .unknownSplit(split) }
        return name
    }

    /// Whether something is at `url` and it is a folder (symbolic links followed); `nil` when
    /// nothing is there.
    private static func kind(of url: URL) -> Bool? {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) else { return nil }
        return isDirectory.boolValue
    }

    /// The images in the class folders of `folder`, gray, labelled as the model's classes.
    private static func classFolders(_ folder: URL, metadata: RunMetadata) throws -> AnyDataset {
        let images = try ImageFolderDataset(root: folder, colorModel: .gray)
        return try relabelled(AnyDataset(images), classes: images.classes, folder: folder.path, to: metadata.classes)
    }

    /// `dataset`, whose labels index `classes`, with labels indexing `expected` instead.
    private static func relabelled(_ dataset: AnyDataset, classes: [String], folder: String,
                                   to expected: [String]) throws(EvaluationSetError) -> AnyDataset {
        if classes == expected { return dataset }
        let labels = classes.compactMap { expected.firstIndex(of: $0) }
        guard labels.count == classes.count else {
            throw .unknownClasses(folder: folder, classes: classes, expected: expected)
        }
        return AnyDataset(RelabelledDataset(base: dataset, labels: labels))
    }
}

/// Labelled data that does not fit an evaluation.
public enum EvaluationSetError: Error, CustomStringConvertible, Equatable {
    /// A split other than train, val and test.
    case unknownSplit(String)
    /// A folder of splits without the one asked for.
    case missingSplit(root: String, split: String, present: [String])
    /// Class folders that are not the model's classes.
    case unknownClasses(folder: String, classes: [String], expected: [String])

    /// What does not fit, naming the folder.
    public var description: String {
        switch self {
        case .unknownSplit(let split):
            return "unknown split '\(split)': use train, val or test"
        case let .missingSplit(root, split, present):
            return "'\(root)' has no \(split)/ folder (it has \(present.map { "\($0)/" }.joined(separator: ", "))); "
                + "pass --split, or --data with a folder of class folders"
        case let .unknownClasses(folder, classes, expected):
            return "'\(folder)' has the classes \(classes.joined(separator: ", ")); the model's are \(expected.joined(separator: ", "))"
        }
    }
}
