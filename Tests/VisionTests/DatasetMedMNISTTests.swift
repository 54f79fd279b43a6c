import FathomTestSupport
import Foundation
import Serialization
import Tensor
import Testing
import Vision

/// MedMNIST archives: the real PneumoniaMNIST file, and typed errors on malformed archives.
@Suite("Datasets: MedMNIST")
struct DatasetMedMNISTTests {
    typealias Support = VisionTestSupport

    @Test func pneumoniaMNISTHasTheOfficialSplitsAndLabelBalance() throws {
        let url = try SharedData.dataFile("pneumoniamnist/pneumoniamnist.npz")
        let counts = try MedMNISTDataset.Split.allCases.map { try MedMNISTDataset(contentsOf: url, split: $0).count }
        #expect(counts == [4708, 524, 624])

        let train = try MedMNISTDataset(contentsOf: url, split: .train)
        #expect(train.labels.filter { $0 == 0 }.count == 1214)
        #expect(train.labels.filter { $0 == 1 }.count == 3494)
        #expect((train.channels, train.height, train.width) == (1, 28, 28))

        let sample = train.sample(at: 17)
        #expect(sample.image.shape == [1, 28, 28])
        #expect(sample.label == train.labels[17] && sample.identifier == "train/17")
        let values = sample.image.scalars
        #expect(values.allSatisfy { (0...1).contains($0) })
        // uint8 pixels divided by 255: every value is a whole number of 1/255 steps.
        #expect(values.allSatisfy { abs($0 * 255 - ($0 * 255).rounded()) < 1e-3 })
        #expect(Set(values).count > 20, "a chest X-ray has many gray levels")
    }

    @Test func rgbArchivesGiveThreeChannelImagesInCHWOrder() throws {
        let folder = try Support.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("rgb.npz")
        // Two 1×2 RGB images; pixel (x) of image n has channels (n·10 + x, 100 + x, 200).
        let pixels: [UInt8] = [0, 100, 200, 1, 101, 200, 10, 100, 200, 11, 101, 200]
        try NPZ.write(["test_images": NPYArray(shape: [2, 1, 2, 3], scalars: pixels),
                       "test_labels": NPYArray(shape: [2, 1], scalars: [Int64(3), Int64(0)])], to: url)
        let dataset = try MedMNISTDataset(contentsOf: url, split: .test)
        #expect(dataset.count == 2 && dataset.channels == 3 && dataset.labels == [3, 0])
        let image = dataset.sample(at: 1).image
        #expect(image.shape == [3, 1, 2])
        #expect(image.isAlmostEqual(to: Tensor(shape: [3, 1, 2], scalars: [10, 11, 100, 101, 200, 200].map { $0 / 255 }), tolerance: 1e-7))
    }

    @Test func malformedArchivesThrowTypedErrorsNamingTheProblem() throws {
        let folder = try Support.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("bad.npz")
        let images = NPYArray(shape: [2, 4, 4], scalars: [UInt8](repeating: 7, count: 32))
        let labels = NPYArray(shape: [2, 1], scalars: [UInt8(0), UInt8(1)])

        try NPZ.write(["train_images": images, "train_labels": labels], to: url)
        do {
            _ = try MedMNISTDataset(contentsOf: url, split: .val)
            Issue.record("a missing split must throw")
        } catch let error as DatasetError {
            guard case .missingArray(_, let name, let available) = error else { throw error }
            #expect(name == "val_images" && Set(available) == ["train_images", "train_labels"])
        }

        try NPZ.write(["train_images": NPYArray(shape: [2, 16], scalars: [UInt8](repeating: 0, count: 32)), "train_labels": labels], to: url)
        #expect(throws: DatasetError.unexpectedShape(file: url.path, name: "train_images", shape: [2, 16], expected: "[N, H, W] or [N, H, W, 3]")) {
            try MedMNISTDataset(contentsOf: url, split: .train)
        }

        try NPZ.write(["train_images": NPYArray(shape: [2, 2, 2], scalars: [Float](repeating: 0, count: 8)), "train_labels": labels], to: url)
        #expect(throws: DatasetError.unexpectedElementType(file: url.path, name: "train_images", elementType: "float32", expected: "uint8")) {
            try MedMNISTDataset(contentsOf: url, split: .train)
        }

        try NPZ.write(["train_images": images, "train_labels": NPYArray(shape: [3, 1], scalars: [UInt8(0), 1, 1])], to: url)
        #expect(throws: DatasetError.countMismatch(file: url.path, images: 2, labels: 3)) {
            try MedMNISTDataset(contentsOf: url, split: .train)
        }
    }
}
