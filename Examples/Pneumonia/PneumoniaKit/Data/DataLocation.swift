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

    /// The places a PneumoniaMNIST file of the given size may be, in the order they are tried.
    public func candidates(for dataset: RemoteDataset) -> [URL] {
        var urls: [URL] = []
        if let shared = sharedDataDirectory {
            urls.append(shared.appendingPathComponent("pneumoniamnist/\(dataset.fileName)"))
            urls.append(shared.appendingPathComponent(dataset.fileName))
        }
        urls.append(cacheDirectory.appendingPathComponent(dataset.fileName))
        return urls
    }

    /// The first existing PneumoniaMNIST file of the given size, or an error that says where
    /// it was looked for and how to get it.
    public func locate(_ dataset: RemoteDataset) throws(DataLocationError) -> URL {
        let urls = candidates(for: dataset)
        if let found = urls.first(where: { FileManager.default.fileExists(atPath: $0.path) }) { return found }
        throw .notFound(searched: urls.map(\.path), hint: "run `pneumonia fetch --size \(dataset.imageSize)`, "
            + "or download \(dataset.url.absoluteString) (md5 \(dataset.md5)) and put it at "
            + "\(cacheDirectory.appendingPathComponent(dataset.fileName).path)")
    }
}

/// Data that could not be found.
public enum DataLocationError: Error, CustomStringConvertible, Equatable {
    /// Nothing at any of the searched paths.
    case notFound(searched: [String], hint: String)

    /// What was searched and what to do.
    public var description: String {
        switch self {
        case let .notFound(searched, hint):
            return "data not found; looked in:\n" + searched.map { "  \($0)" }.joined(separator: "\n") + "\nTo get it: \(hint)"
        }
    }
}
