import ArgumentParser
import Foundation
import PneumoniaKit

/// `pneumonia fetch`: downloads PneumoniaMNIST into the cache and verifies it.
struct Fetch: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Download PneumoniaMNIST (MedMNIST v2, CC BY 4.0) into the cache and verify its MD5.",
        discussion: RemoteDataset.fullResolutionInstructions)

    @Option(help: "Image size: 28, 64, 128 or 224.")
    var size: Int = 28

    @Flag(help: "Download again even if a verified copy is present.")
    var force = false

    func validate() throws {
        guard RemoteDataset.pneumoniaMNIST(size: size) != nil else {
            throw ValidationError("--size must be one of \(RemoteDataset.availableSizes.map(String.init).joined(separator: ", "))")
        }
    }

    func run() async throws {
        let dataset = RemoteDataset.pneumoniaMNIST(size: size)!
        let location = DataLocation()
        let destination = location.cacheDirectory.appendingPathComponent(dataset.fileName)
        if !force, FileManager.default.fileExists(atPath: destination.path) {
            print("already present: \(destination.path) (use --force to download again)")
            return
        }
        print("downloading \(dataset.url.absoluteString)")
        let bar = ProgressBar(title: dataset.fileName, total: nil)
        do {
            try await Downloader().download(dataset.url, to: destination, expectedMD5: dataset.md5) { received, expected in
                bar.update(Double(received), status: expected.map { "of " + ProgressBar.bytes(Double($0)) } ?? "")
            }
        } catch {
            bar.finish("failed")
            var message = "error: \(error)"
            if case .network = error {
                message += """

                    Without network access: download \(dataset.url.absoluteString) on another machine,
                    check that its MD5 is \(dataset.md5), and copy it to \(destination.path)
                    (or point $FATHOM_DATA or --data at the folder that holds it).
                    """
            }
            FileHandle.standardError.write((message + "\n").data(using: .utf8)!)
            throw ExitCode.failure
        }
        bar.finish("done")
        print("saved \(destination.path) (md5 \(dataset.md5) verified)")
        print("\n" + RemoteDataset.fullResolutionInstructions)
    }
}
