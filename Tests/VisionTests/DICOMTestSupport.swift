import FathomTestSupport
import Foundation
import Serialization
import Tensor
import Testing
import Vision

/// Grayscale and colour DICOM images built from decoded pictures.
enum DICOMTestSupport {
    /// The fixture folder.
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/DICOM", isDirectory: true)

    /// The bytes of a fixture; records a failure naming it when missing.
    static func fixture(_ name: String) throws -> [UInt8] {
        let url = fixtures.appendingPathComponent(name)
        let data = try #require(FileManager.default.contents(atPath: url.path), "missing fixture \(url.path)")
        return [UInt8](data)
    }

    /// The expected display image of a fixture, from its `.npy` written by make_dicom_fixtures.py.
    static func expected(_ name: String) throws -> (shape: [Int], pixels: [UInt8]) {
        let array = try NPY.read(from: fixtures.appendingPathComponent(name.replacingOccurrences(of: ".dcm", with: ".npy")))
        return (array.shape, try array.scalars(as: UInt8.self))
    }

    /// The 8-bit samples of an image.
    static func pixels(_ image: Image) -> [UInt8] {
        guard case .uint8(let values) = image.samples else { return [] }
        return values
    }

    /// A few chest X-rays of the shared data (224×224 RGB JPEGs), decoded by Fathom.
    static func chestXRays(count: Int = 3) throws -> [(name: String, image: Image)] {
        let directory = try SharedData.dataFolder("chest_xray_224/train").path
        var result: [(String, Image)] = []
        for label in ["NORMAL", "PNEUMONIA"] {
            let names = try FileManager.default.contentsOfDirectory(atPath: directory + "/" + label).sorted().prefix(count)
            for name in names { result.append((label + "/" + name, try Image(contentsOfFile: directory + "/" + label + "/" + name))) }
        }
        return result
    }
}
