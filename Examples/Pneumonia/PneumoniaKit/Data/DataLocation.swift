import Foundation

/// Where Fathom looks for data: an explicit path, then `$FATHOM_DATA`, then the user cache.
///
/// `$FATHOM_DATA` is laid out like the project's shared data folder
/// (`pneumoniamnist/pneumoniamnist.npz`, `chest_xray_224/train/…`); the cache
/// (`$XDG_CACHE_HOME/fathom` or `~/.cache/fathom`) holds what `pneumonia fetch` downloaded.
public struct DataLocation: Sendable {
    /// The environment to read (a parameter so tests can pass their own).
    public var environment: [String: String]

    /// A locator over the process environment.
    public init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.environment = environment
    }

    /// The cache directory `pneumonia fetch` writes into.
    public var cacheDirectory: URL {
        if let xdg = environment["XDG_CACHE_HOME"], !xdg.isEmpty {
            return URL(fileURLWithPath: xdg).appendingPathComponent("fathom")
        }
        let home = environment["HOME"] ?? NSHomeDirectory()
        return URL(fileURLWithPath: home).appendingPathComponent(".cache/fathom")
    }

    /// The `$FATHOM_DATA` directory, if set.
    public var sharedDataDirectory: URL? {
        guard let path = environment["FATHOM_DATA"], !path.isEmpty else { return nil }
        return URL(fileURLWithPath: path)
    }

    /// The places data called `name` (a file or folder name as ``DataName`` gives it) may be, in
    /// the order they are tried: `$FATHOM_DATA/pneumoniamnist/NAME` (for `.npz` files) and
    /// `$FATHOM_DATA/NAME`, then the cache.
    public func candidates(named name: String) -> [URL] {
        var urls: [URL] = []
        if let shared = sharedDataDirectory {
            if name.hasSuffix(".npz") { urls.append(shared.appendingPathComponent("pneumoniamnist/\(name)")) }
            urls.append(shared.appendingPathComponent(name))
        }
        urls.append(cacheDirectory.appendingPathComponent(name))
        return urls
    }

    /// The places a PneumoniaMNIST file of the given size may be, in the order they are tried.
    public func candidates(for dataset: RemoteDataset) -> [URL] {
        candidates(named: dataset.fileName)
    }

    /// The first existing place for data called `name`, or an error listing where it was looked
    /// for, with `hint` saying what to do.
    public func locate(named name: String, hint: String) throws(DataLocationError) -> URL {
        let urls = candidates(named: name)
        if let found = urls.first(where: { FileManager.default.fileExists(atPath: $0.path) }) { return found }
        throw .notFound(searched: urls.map(\.path), hint: hint)
    }

    /// The first existing PneumoniaMNIST file of the given size, or an error that says where
    /// it was looked for and how to get it.
    public func locate(_ dataset: RemoteDataset) throws(DataLocationError) -> URL {
        try locate(named: dataset.fileName, hint: instructions(for: dataset))
    }

    /// Where a download of `dataset` goes: the cache.
    public func destination(for dataset: RemoteDataset) -> URL {
        cacheDirectory.appendingPathComponent(dataset.fileName)
    }

    /// How to get `dataset` without this program downloading it: which file to put where, the
    /// URL, its MD5, and `pneumonia fetch`.
    public func instructions(for dataset: RemoteDataset) -> String {
        "run `pneumonia fetch --size \(dataset.imageSize)` where there is network, or download "
            + "\(dataset.url.absoluteString) (md5 \(dataset.md5)) on another machine and put it at "
            + "\(destination(for: dataset).path) (or point $FATHOM_DATA or --data at the folder that holds it)"
    }
}

/// Data that could not be found or fetched.
public enum DataLocationError: Error, CustomStringConvertible, Equatable {
    /// Nothing at any of the searched paths.
    case notFound(searched: [String], hint: String)
    /// The data was to be downloaded into the cache and the download failed; `hint` says how
    /// to get it by hand.
    case downloadFailed(DownloadError, hint: String)

    /// What was searched or what failed, and what to do.
    public var description: String {
        switch self {
        case let .notFound(searched, hint):
            return "data not found; looked in:\n" + searched.map { "  \($0)" }.joined(separator: "\n") + "\nTo get it: \(hint)"
        case let .downloadFailed(error, hint):
            return "\(error)\nTo get it by hand: \(hint)"
        }
    }
}
