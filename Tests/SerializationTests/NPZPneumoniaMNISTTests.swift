import FathomTestSupport
import Foundation
import Serialization
import Tensor
import Testing

/// The official MedMNIST PneumoniaMNIST file from ../shared/data, read end to end.
@Suite("NPZ: PneumoniaMNIST")
struct NPZPneumoniaMNISTTests {
    @Test func loadsEverySplitExactly() throws {
        let archive = try NPZArchive(contentsOf: SharedData.dataFile("pneumoniamnist/pneumoniamnist.npz"))
        #expect(Set(archive.names) == ["train_images", "train_labels", "val_images", "val_labels", "test_images", "test_labels"])

        // Sizes, label counts (normal, pneumonia), pixel sums and first pixels from NumPy.
        let expected: [(split: String, count: Int, normal: Int, pneumonia: Int, pixelSum: Int, firstPixels: [UInt8])] = [
            ("train", 4708, 1214, 3494, 538_305_934, [92, 108, 117, 111, 101, 90, 70, 49]),
            ("val", 524, 135, 389, 59_624_090, [88, 81, 87, 112, 137, 142, 131, 121]),
            ("test", 624, 234, 390, 70_355_184, [62, 19, 15, 42, 54, 74, 113, 138]),
        ]
        for split in expected {
            let images = try archive["\(split.split)_images"]
            #expect(images.dtype == .uint8)
            #expect(images.shape == [split.count, 28, 28])
            #expect(Array(images.data.prefix(8)) == split.firstPixels)
            #expect(images.data.reduce(0) { $0 + Int($1) } == split.pixelSum)

            let labels = try archive["\(split.split)_labels"]
            #expect(labels.dtype == .uint8)
            #expect(labels.shape == [split.count, 1])
            let values = try labels.integers()
            #expect(values.filter { $0 == 0 }.count == split.normal)
            #expect(values.filter { $0 == 1 }.count == split.pneumonia)
        }
    }

    @Test func imagesConvertToFloatTensors() throws {
        let archive = try NPZArchive(contentsOf: SharedData.dataFile("pneumoniamnist/pneumoniamnist.npz"))
        let images = try archive["val_images"].tensor()
        #expect(images.shape == [524, 28, 28])
        #expect(Array(images.scalars.prefix(4)) == [88, 81, 87, 112])
        #expect(images.scalars.reduce(0.0) { $0 + Double($1) } == 59_624_090)
    }
}
