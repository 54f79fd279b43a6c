import Foundation
import PneumoniaKit
import PneumoniaServe
import Serialization
import Tensor
import Testing

/// The run directory and its model card travel with the model (`pneumonia serve` shows the
/// card to every visitor): they name the training data and keep its fingerprint, but never
/// say where it lives — and runs written before that rule still load without showing it.
@Suite struct RunDataPrivacyTests {
    /// Every string in a JSON value, keys included.
    static func strings(in json: Any) -> [String] {
        switch json {
        case let text as String: [text]
        case let array as [Any]: array.flatMap { strings(in: $0) }
        case let object as [String: Any]: object.flatMap { [$0.key] + strings(in: $0.value) }
        default: []
        }
    }

    /// The strings of a JSON document that look like absolute paths or mention `secret`.
    static func leaks(_ data: Data, secret: String) throws -> [String] {
        try strings(in: JSONSerialization.jsonObject(with: data)).filter { $0.hasPrefix("/") || $0.contains(secret) }
    }

    @Test func newRunNamesItsDataWithoutItsPath() async throws {
        let base = try XRayFolderFixture.temporaryFolder()
        let root = base.appendingPathComponent("xrays")
        try XRayFolderFixture.makeClassFolders(in: root.appendingPathComponent("train"), count: 4)
        try XRayFolderFixture.makeClassFolders(in: root.appendingPathComponent("val"), count: 2, offset: 4)
        let data = try PneumoniaData(source: .folder(root))
        let run = RunDirectory(base.appendingPathComponent("run"))
        var config = TrainingConfiguration()
        config.imageSize = 32
        config.epochs = 1
        config.batchSize = 4
        config.dataPath = root.path  // what a caller may pass: the run must still record only the name
        let metadata = try Trainer(configuration: config, data: data, run: run) { _ in }.train(showProgress: false)

        #expect(metadata.configuration.dataPath == "xrays")
        #expect(metadata.dataDescription == "image folder xrays (train/ and val/)")
        #expect(metadata.dataFingerprint == data.fingerprint && metadata.dataFingerprint.hasPrefix("8 files md5:"))
        #expect(try Self.leaks(Data(contentsOf: run.metadataFile), secret: base.path) == [])
        let embedded = try #require(try SafeTensors.read(from: run.bestModel).metadata["fathom.run"])
        #expect(try Self.leaks(Data(embedded.utf8), secret: base.path) == [])
        let card = ModelCard(classifier: try Classifier(run: run), heatmap: true)
        #expect(card.trainingData == "image folder xrays (train/ and val/)")
        #expect(try Self.leaks(JSONEncoder().encode(card), secret: base.path) == [])

        // The name is enough to find the data again where shared data lives ($FATHOM_DATA).
        let location = DataLocation(environment: ["FATHOM_DATA": base.path, "XDG_CACHE_HOME": base.path])
        let found = try await PneumoniaData.resolve(trainingDataOf: try run.readMetadata(), location: location)
        #expect(found.fingerprint == metadata.dataFingerprint)
    }

    @Test func runWithAnAbsolutePathLoadsAndItsCardDoesNotShowIt() throws {
        let run = try ServeFixture.makeRun(
            threshold: 0.5,
            dataDescription: "image folder /home/alice/private scans/chest_xray/train, patient-grouped validation split "
                + "(4434 train / 782 val images, seed 42)",
            dataPath: "/home/alice/private scans/chest_xray")
        let classifier = try Classifier(run: run)
        #expect(classifier.metadata.configuration.dataPath == "/home/alice/private scans/chest_xray")  // still usable locally
        let card = ModelCard(classifier: classifier, heatmap: true)
        #expect(card.trainingData
                == "image folder chest_xray/train, patient-grouped validation split (4434 train / 782 val images, seed 42)")
        #expect(try Self.leaks(JSONEncoder().encode(card), secret: "alice") == [])
    }

    @Test func absolutePathsInOldDescriptionsBecomeNames() {
        #expect(DataName.redactingAbsolutePaths(in: "image folder /data/kermany/chest_xray (train/ and val/)")
                == "image folder chest_xray (train/ and val/)")
        #expect(DataName.redactingAbsolutePaths(in: "from '/srv/x.npz', and ~/data/test") == "from 'x.npz', and data/test")
        let npz = "PneumoniaMNIST (MedMNIST v2, 28×28, 4708/524/624 train/val/test), from pneumoniamnist.npz"
        #expect(DataName.redactingAbsolutePaths(in: npz) == npz)
        #expect(DataName.of(URL(fileURLWithPath: "/a/b/chest_xray_224/")) == "chest_xray_224")
    }
}
