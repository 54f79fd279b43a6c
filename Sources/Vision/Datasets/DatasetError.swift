/// Why a dataset could not be opened or read. Every case names the file or folder involved.
public enum DatasetError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A folder could not be listed (missing, not a folder, no permission).
    case directoryUnreadable(path: String, reason: String)
    /// An image folder has no class subfolders.
    case noClasses(root: String)
    /// Class folders that hold no image with an accepted extension.
    case emptyClasses(root: String, classes: [String])
    /// Images that could not be decoded, all of them, each with the reason.
    case unreadableFiles([UnreadableFile])
    /// An array the dataset needs is not in the archive.
    case missingArray(file: String, name: String, available: [String])
    /// An array has a shape the dataset cannot use.
    case unexpectedShape(file: String, name: String, shape: [Int], expected: String)
    /// An array has an element type the dataset cannot use.
    case unexpectedElementType(file: String, name: String, elementType: String, expected: String)
    /// The image and label arrays disagree on the number of samples.
    case countMismatch(file: String, images: Int, labels: Int)

    /// A one-line explanation (for ``unreadableFiles(_:)``, one line per file).
    public var description: String {
        switch self {
        case .directoryUnreadable(let path, let reason):
            "cannot list folder '\(path)': \(reason)"
        case .noClasses(let root):
            "'\(root)' has no class subfolders (expected root/CLASS/image.png)"
        case .emptyClasses(let root, let classes):
            "class folders without images in '\(root)': \(classes.joined(separator: ", "))"
        case .unreadableFiles(let files):
            "\(files.count) unreadable image file\(files.count == 1 ? "" : "s"):\n"
                + files.map { "  \($0.path): \($0.reason)" }.joined(separator: "\n")
        case .missingArray(let file, let name, let available):
            "'\(file)' has no array '\(name)' (it has: \(available.joined(separator: ", ")))"
        case .unexpectedShape(let file, let name, let shape, let expected):
            "array '\(name)' in '\(file)' has shape \(shape), expected \(expected)"
        case .unexpectedElementType(let file, let name, let elementType, let expected):
            "array '\(name)' in '\(file)' holds \(elementType), expected \(expected)"
        case .countMismatch(let file, let images, let labels):
            "'\(file)' has \(images) images but \(labels) labels"
        }
    }
}

/// An image file that failed to decode, and why.
public struct UnreadableFile: Sendable, Hashable {
    /// The file's path.
    public let path: String
    /// The decoder's explanation.
    public let reason: String

    /// A failure record.
    public init(path: String, reason: String) {
        (self.path, self.reason) = (path, reason)
    }
}

/// What an image folder does about files that do not decode when it is opened with
/// validation.
public enum UnreadableFilePolicy: Sendable, Hashable {
    /// Throw ``DatasetError/unreadableFiles(_:)`` listing every bad file.
    case fail
    /// Leave bad files out; they are listed in `skippedFiles`.
    case skip
}
