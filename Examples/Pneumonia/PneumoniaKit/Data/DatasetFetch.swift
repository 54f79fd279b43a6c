import Foundation

/// Fetching a catalogued dataset into the cache: what `pneumonia fetch` does on request, and
/// what `pneumonia train` does when it finds no data. The file streams to disk under a progress
/// bar while its MD5 is computed, and is renamed into place only when complete and matching
/// (``Downloader``), so an interrupted or corrupted transfer never leaves a file that looks
/// valid.
public struct DatasetFetch: Sendable {
    /// The file to fetch.
    public let dataset: RemoteDataset
    /// Where the cache is.
    public let location: DataLocation
    /// The transfer.
    public let downloader: Downloader
    private let log: @Sendable (String) -> Void

    /// A fetch of `dataset` into `location`'s cache; `log` receives the lines before and after
    /// the transfer (the progress bar itself goes to standard error).
    public init(_ dataset: RemoteDataset, location: DataLocation = DataLocation(), downloader: Downloader = Downloader(),
                log: @escaping @Sendable (String) -> Void = printFlushed) {
        self.dataset = dataset
        self.location = location
        self.downloader = downloader
        self.log = log
    }

    /// The file in the cache.
    public var destination: URL { location.destination(for: dataset) }

    /// Downloads the file into the cache, replacing any copy there, and returns its place.
    ///
    /// - Throws: ``DataLocationError/downloadFailed(_:hint:)`` with the reason (no network, an
    ///   HTTP error, a dropped connection, a wrong MD5) and how to get the file by hand.
    @discardableResult
    public func run() async throws(DataLocationError) -> URL {
        log("downloading \(dataset.url.absoluteString)")
        let bar = ProgressBar(title: dataset.fileName, total: nil)
        do throws(DownloadError) {
            try await downloader.download(dataset.url, to: destination, expectedMD5: dataset.md5) { received, expected in
                bar.update(Double(received), status: expected.map { "of " + ProgressBar.bytes(Double($0)) } ?? "")
            }
        } catch {
            bar.finish("failed")
            throw .downloadFailed(error, hint: location.instructions(for: dataset))
        }
        bar.finish("done")
        log("saved \(destination.path) (md5 \(dataset.md5) verified)")
        return destination
    }
}

extension DataLocation {
    /// The first existing copy of `dataset` (see ``locate(_:)``); when there is none and a
    /// `downloader` is given, a verified download of it into the cache (``DatasetFetch``).
    ///
    /// - Throws: ``DataLocationError/notFound(searched:hint:)`` without a downloader, or
    ///   ``DataLocationError/downloadFailed(_:hint:)`` when the download fails; both say which
    ///   file to put where, the URL and `pneumonia fetch`.
    public func locate(_ dataset: RemoteDataset, downloadingWith downloader: Downloader?,
                       log: @escaping @Sendable (String) -> Void = printFlushed) async throws(DataLocationError) -> URL {
        do throws(DataLocationError) {
            return try locate(dataset)
        } catch {
            guard let downloader else { throw error }
            log("\(dataset.title) is not in $FATHOM_DATA or the cache; fetching it (--no-download turns this off)")
            return try await DatasetFetch(dataset, location: self, downloader: downloader, log: log).run()
        }
    }
}
