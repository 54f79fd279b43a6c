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
        let fetch = DatasetFetch(RemoteDataset.pneumoniaMNIST(size: size)!)
        if !force, FileManager.default.fileExists(atPath: fetch.destination.path) {
            print("already present: \(fetch.destination.path) (use --force to download again)")
            return
        }
        try await fetch.run()
        print("\n" + RemoteDataset.fullResolutionInstructions)
    }
}
