import Serialization
import Tensor
import Foundation  // URL

/// One split of a MedMNIST `.npz` file (PneumoniaMNIST, ChestMNIST...; 28, 64, 128 or
/// 224 pixels).
///
/// The archive holds `{train,val,test}_images` as uint8 `N×H×W` (gray) or `N×H×W×3` (RGB)
/// and `{train,val,test}_labels` as `N×1` (or `N`) integers. The split is kept in memory as
/// bytes; `sample(at:)` converts one image to a CHW tensor in 0...1.
///
/// ```swift
/// let train = try MedMNISTDataset(contentsOf: url, split: .train)
/// train.count        // 4708 for PneumoniaMNIST
/// ```
public struct MedMNISTDataset: Dataset {
    /// The three splits of every MedMNIST file, named as the archive's keys.
    public enum Split: String, Sendable, CaseIterable {
        /// The training split (`train_*`).
        case train
        /// The validation split (`val_*`).
        case val
        /// The test split (`test_*`).
        case test
    }

    /// The archive's path.
    public let file: String
    /// Which split this is.
    public let split: Split
    /// The number of samples.
    public let count: Int
    /// Channels per image: 1 or 3.
    public let channels: Int
    /// Rows per image.
    public let height: Int
    /// Columns per image.
    public let width: Int
    /// The label of each sample.
    public let labels: [Int]
    /// `count × height × width × channels` bytes, as in the file.
    private let pixels: [UInt8]

    /// Reads one split of the archive at `url`.
    ///
    /// - Throws: `SerializationError` if the file is not a readable `.npz`;
    ///   ``DatasetError`` if an array is missing or has the wrong type or shape.
    public init(contentsOf url: URL, split: Split) throws {
        let archive = try NPZArchive(contentsOf: url)
        let file = url.path
        func array(_ suffix: String) throws -> (name: String, array: NPYArray) {
            let name = "\(split.rawValue)_\(suffix)"
            guard archive.contains(name) else {
                throw DatasetError.missingArray(file: file, name: name, available: archive.names)
            }
            return (name, try archive.array(named: name))
        }
        let (imageName, images) = try array("images")
        let (labelName, labelArray) = try array("labels")
        guard images.dtype == .uint8 else {
            throw DatasetError.unexpectedElementType(file: file, name: imageName, elementType: images.dtype.rawValue, expected: "uint8")
        }
        let shape = images.shape
        guard (shape.count == 3 || (shape.count == 4 && (shape[3] == 1 || shape[3] == 3))) && shape.dropFirst().allSatisfy({ $0 > 0 }) else {
            throw DatasetError.unexpectedShape(file: file, name: imageName, shape: shape, expected: "[N, H, W] or [N, H, W, 3]")
        }
        let labelShape = labelArray.shape
        guard labelShape.count == 1 || (labelShape.count == 2 && labelShape[1] == 1) else {
            throw DatasetError.unexpectedShape(file: file, name: labelName, shape: labelShape, expected: "[N, 1] or [N]")
        }
        guard labelShape[0] == shape[0] else {
            throw DatasetError.countMismatch(file: file, images: shape[0], labels: labelShape[0])
        }
        guard !labelArray.dtype.isFloatingPoint else {
            throw DatasetError.unexpectedElementType(file: file, name: labelName, elementType: labelArray.dtype.rawValue, expected: "integers")
        }
        (self.file, self.split, self.count) = (file, split, shape[0])
        (self.height, self.width, self.channels) = (shape[1], shape[2], shape.count == 4 ? shape[3] : 1)
        self.labels = try labelArray.integers()
        self.pixels = images.data
    }

    /// The image at `index` as `[channels, height, width]` in 0...1; the identifier is
    /// `"split/index"`, e.g. `"train/17"`.
    public func sample(at index: Int) -> Sample {
        checkIndex(index, "MedMNISTDataset")
        let (channels, plane) = (channels, height * width)
        let image = Tensor.nonDifferentiable(shape: [channels, height, width]) { out in
            pixels.withUnsafeBufferPointer { bytes in
                let source = bytes.baseAddress! + index * plane * channels
                // HWC bytes to planar CHW floats.
                for c in 0..<channels {
                    for p in 0..<plane { out[c * plane + p] = Float(source[p * channels + c]) * (1 / 255) }
                }
            }
        }
        return Sample(image: image, label: labels[index], identifier: "\(split.rawValue)/\(index)")
    }

    /// The label of `index`.
    public func label(at index: Int) -> Int {
        checkIndex(index, "MedMNISTDataset")
        return labels[index]
    }
}
