import Foundation
import Tensor
import Testing
import Vision

/// Shared helpers of the transform, dataset, split and data-loader tests.
enum VisionTestSupport {
    /// A fresh empty temporary folder.
    static func temporaryFolder() throws -> URL {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("fathom-vision-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// A 1-channel `height × width` image with the given row-major values.
    static func gray(_ height: Int, _ width: Int, _ values: [Float]) -> Tensor {
        Tensor(shape: [1, height, width], scalars: values)
    }

    /// A `[channels, height, width]` image whose values are distinct: `c·100 + y·10 + x`.
    static func ramp(channels: Int, height: Int, width: Int) -> Tensor {
        Tensor(shape: [channels, height, width]) { out in
            for c in 0..<channels {
                for y in 0..<height {
                    for x in 0..<width { out[(c * height + y) * width + x] = Float(c * 100 + y * 10 + x) }
                }
            }
        }
    }

    /// A random image in 0...1, reproducible from `seed`.
    static func randomImage(channels: Int, height: Int, width: Int, seed: UInt64) -> Tensor {
        var generator = RandomGenerator(seed: seed)
        return Tensor.uniform([channels, height, width], generator: &generator)
    }
}

/// A dataset computed from the index, with an optional index whose sample throws: for data
/// loader tests that need no files.
struct SyntheticDataset: Dataset {
    struct Failure: Error, Equatable { let index: Int }

    let count: Int
    var side = 6
    var classCount = 3
    var failingIndex: Int? = nil

    func sample(at index: Int) throws -> Sample {
        if index == failingIndex { throw Failure(index: index) }
        let image = Tensor(shape: [1, side, side]) { out in
            for i in 0..<out.count { out[i] = Float((index * 31 + i * 7) % 97) / 96 }
        }
        return Sample(image: image, label: index % classCount, identifier: "synthetic/\(index)")
    }

    func label(at index: Int) -> Int { index % classCount }
}
