import Foundation  // FileManager
import Tensor

/// Images stored one folder per class, `root/CLASS/file.png` (torchvision's `ImageFolder`).
///
/// Class folders are sorted by name and numbered from 0; files with an accepted extension
/// (compared case-insensitively) are sorted by name within each class; hidden files are
/// ignored. Images are decoded only when a sample is asked for. Opening with
/// `onUnreadable:` decodes every file up front (on all cores) to find the broken ones.
///
/// ```swift
/// let train = try ImageFolderDataset(root: url, colorModel: .gray, onUnreadable: .skip)
/// train.classes          // ["NORMAL", "PNEUMONIA"]
/// train.classCounts      // [1341, 3875]
/// train.skippedFiles     // files that did not decode
/// ```
public struct ImageFolderDataset: Dataset {
    /// The extensions accepted by default: PNG, JPEG and DICOM (`.dcm`, decoded to its 8-bit
    /// display image; see ``DICOMImage``).
    public static let defaultExtensions: Set<String> = ["png", "jpg", "jpeg", "dcm"]

    /// The folder holding the class folders.
    public let root: URL
    /// The class names (folder names), sorted; a label is an index into this array.
    public let classes: [String]
    /// The image paths, grouped by class in class order, sorted by name within a class.
    public let paths: [String]
    /// The label of each path.
    public let labels: [Int]
    /// The number of images of each class.
    public let classCounts: [Int]
    /// The colour model images are converted to, or `nil` to keep gray or RGB (alpha is
    /// dropped either way).
    public let colorModel: Image.ColorModel?
    /// Files left out because they did not decode (only with `onUnreadable: .skip`).
    public let skippedFiles: [UnreadableFile]

    /// Lists the images under `root`.
    ///
    /// - Parameters:
    ///   - root: the folder holding one folder per class.
    ///   - colorModel: convert every image to this model (e.g. `.gray` for X-rays stored as RGB).
    ///   - extensions: accepted file extensions, lowercase, without the dot.
    ///   - onUnreadable: `nil` to decode lazily (a bad file then throws from `sample(at:)`);
    ///     `.fail` or `.skip` to decode everything now and fail on, or leave out, the
    ///     files that do not decode.
    /// - Throws: ``DatasetError`` when a folder cannot be listed, there are no classes, a
    ///   class has no images, or (with `.fail`) some files do not decode.
    public init(root: URL, colorModel: Image.ColorModel? = nil, extensions: Set<String> = defaultExtensions,
                onUnreadable: UnreadableFilePolicy? = nil) throws(DatasetError) {
        let accepted = Set(extensions.map { $0.lowercased() })
        let classes = try Self.listClasses(root)
        var paths: [String] = [], labels: [Int] = [], empty: [String] = []
        for (label, name) in classes.enumerated() {
            let folder = root.appendingPathComponent(name, isDirectory: true)
            let files = try Self.listEntries(folder).filter { name in
                guard let dot = name.lastIndex(of: ".") else { return false }
                return accepted.contains(name[name.index(after: dot)...].lowercased())
            }
            if files.isEmpty { empty.append(name) }
            paths += files.map { folder.appendingPathComponent($0).path }
            labels += Array(repeating: label, count: files.count)
        }
        guard empty.isEmpty else { throw .emptyClasses(root: root.path, classes: empty) }

        var skipped: [UnreadableFile] = []
        if let onUnreadable {
            let failures = Self.findUnreadable(paths)
            if !failures.isEmpty {
                if onUnreadable == .fail { throw .unreadableFiles(failures.map(\.file)) }
                let bad = Set(failures.map(\.index))
                let kept = paths.indices.filter { !bad.contains($0) }
                paths = kept.map { paths[$0] }
                labels = kept.map { labels[$0] }
                skipped = failures.map(\.file)
            }
        }
        var counts = [Int](repeating: 0, count: classes.count)
        for label in labels { counts[label] += 1 }
        (self.root, self.classes, self.paths, self.labels) = (root, classes, paths, labels)
        (self.classCounts, self.colorModel, self.skippedFiles) = (counts, colorModel, skipped)
    }

    /// The number of images.
    public var count: Int { paths.count }

    /// Decodes the image at `index`; the sample's identifier is its path.
    ///
    /// - Throws: `ImageCodecError` naming the file when it cannot be read or decoded.
    public func sample(at index: Int) throws -> Sample {
        checkIndex(index, "ImageFolderDataset")
        let image = try Image(contentsOfFile: paths[index])
        let converted = colorModel.map { image.converted(to: $0) } ?? image.droppingAlpha()
        return Sample(image: Tensor(image: converted), label: labels[index], identifier: paths[index])
    }

    /// The label of `index`, without decoding.
    public func label(at index: Int) -> Int {
        checkIndex(index, "ImageFolderDataset")
        return labels[index]
    }

    /// The visible subfolders of `root`, sorted.
    private static func listClasses(_ root: URL) throws(DatasetError) -> [String] {
        let classes = try listEntries(root).filter { name in
            var isDirectory: ObjCBool = false
            let path = root.appendingPathComponent(name).path
            return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue
        }
        guard !classes.isEmpty else { throw .noClasses(root: root.path) }
        return classes
    }

    /// The visible entries of a folder, sorted by name (byte order, like Python's `sorted`).
    private static func listEntries(_ folder: URL) throws(DatasetError) -> [String] {
        do {
            return try FileManager.default.contentsOfDirectory(atPath: folder.path)
                .filter { !$0.hasPrefix(".") }
                .sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        } catch {
            throw .directoryUnreadable(path: folder.path, reason: "\(error.localizedDescription)")
        }
    }

    /// Decodes every file on all cores; the failures in path order.
    private static func findUnreadable(_ paths: [String]) -> [(index: Int, file: UnreadableFile)] {
        var reasons = [String?](repeating: nil, count: paths.count)
        reasons.withUnsafeMutableBufferPointer { reasons in
            // Each chunk writes only its own indices.
            Parallel.forEachChunk(count: paths.count, minimumChunk: 1) { range in
                for i in range {
                    do throws(ImageCodecError) {
                        _ = try Image(contentsOfFile: paths[i])
                    } catch {
                        reasons[i] = error.description
                    }
                }
            }
        }
        return reasons.enumerated().compactMap { index, reason in
            reason.map { (index, UnreadableFile(path: paths[index], reason: $0)) }
        }
    }
}
