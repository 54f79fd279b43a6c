import FathomTestSupport
import Foundation
import Testing
import Vision

/// Decoding the project's real chest X-rays from the shared data directory. Missing data is a
/// failure, not a skip: these tests are what proves the codecs on real files.
@Suite("Codecs on the shared chest X-ray data")
struct CodecRealDataTests {
    /// The true sizes of the 16 Kaggle validation images, read once from their JPEG SOF
    /// markers with `file` (all are 8-bit, one-component, baseline).
    static let originalSizes: [String: (width: Int, height: Int)] = [
        "NORMAL/NORMAL2-IM-1427-0001.jpeg": (1776, 1416),
        "NORMAL/NORMAL2-IM-1430-0001.jpeg": (1272, 1040),
        "NORMAL/NORMAL2-IM-1431-0001.jpeg": (1736, 1416),
        "NORMAL/NORMAL2-IM-1436-0001.jpeg": (1288, 928),
        "NORMAL/NORMAL2-IM-1437-0001.jpeg": (1240, 1104),
        "NORMAL/NORMAL2-IM-1438-0001.jpeg": (1328, 1104),
        "NORMAL/NORMAL2-IM-1440-0001.jpeg": (1632, 1225),
        "NORMAL/NORMAL2-IM-1442-0001.jpeg": (1564, 1302),
        "PNEUMONIA/person1946_bacteria_4874.jpeg": (968, 592),
        "PNEUMONIA/person1946_bacteria_4875.jpeg": (1072, 712),
        "PNEUMONIA/person1947_bacteria_4876.jpeg": (1152, 664),
        "PNEUMONIA/person1949_bacteria_4880.jpeg": (1416, 944),
        "PNEUMONIA/person1950_bacteria_4881.jpeg": (1256, 864),
        "PNEUMONIA/person1951_bacteria_4882.jpeg": (1016, 656),
        "PNEUMONIA/person1952_bacteria_4883.jpeg": (1192, 952),
        "PNEUMONIA/person1954_bacteria_4886.jpeg": (1664, 1128),
    ]

    @Test func originalValidationImagesDecodeToTheirTrueSizes() throws {
        let directory = try SharedData.dataFolder("chest_xray_val_original").path
        for (name, size) in Self.originalSizes.sorted(by: { $0.key < $1.key }) {
            let image = try Image(contentsOfFile: directory + "/" + name)
            #expect(image.width == size.width && image.height == size.height, "\(name): \(image)")
            #expect(image.colorModel == .gray && image.bitDepth == 8, "\(name): \(image)")
            // A real radiograph is neither blank nor saturated.
            guard case .uint8(let pixels) = image.samples else { continue }
            let mean = pixels.reduce(0) { $0 + Int($1) } / pixels.count
            #expect((20...235).contains(mean), "\(name): mean \(mean)")
        }
        // Exactly these 16 files: a new or renamed file must be added to the table.
        var found = [String]()
        for label in ["NORMAL", "PNEUMONIA"] {
            found += try FileManager.default.contentsOfDirectory(atPath: directory + "/" + label).map { label + "/" + $0 }
        }
        #expect(found.sorted() == Self.originalSizes.keys.sorted())
    }

    @Test func everyTrainingImageDecodesTo224() throws {
        let directory = try SharedData.dataFolder("chest_xray_224/train").path
        var paths = [String]()
        for label in ["NORMAL", "PNEUMONIA"] {
            let names = try FileManager.default.contentsOfDirectory(atPath: directory + "/" + label)
            paths += names.sorted().map { directory + "/" + label + "/" + $0 }
        }
        #expect(paths.count == 5216, "expected 1341 + 3875 training images, found \(paths.count)")
        var failures = [String]()
        var colorModels = Set<Image.ColorModel>()
        for path in paths {
            do {
                let image = try Image(contentsOfFile: path)
                colorModels.insert(image.colorModel)
                if image.width != 224 || image.height != 224 { failures.append("\(path): \(image)") }
            } catch {
                failures.append(error.description)
            }
        }
        #expect(failures.isEmpty, "\(failures.count) failures, first: \(failures.prefix(3))")
        #expect(colorModels == [.rgb])
    }
}
