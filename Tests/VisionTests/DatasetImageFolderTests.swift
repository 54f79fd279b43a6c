import FathomTestSupport
import Foundation
import Tensor
import Testing
import Vision

/// Image folders: the real Kermany training folder, and unreadable files reported or skipped.
@Suite("Datasets: image folders")
struct DatasetImageFolderTests {
    typealias Support = VisionTestSupport

    @Test func kermanyTrainingFolderHasTwoClassesWithTheirCounts() throws {
        let root = try SharedData.dataFolder("chest_xray_224/train")
        let dataset = try ImageFolderDataset(root: root, colorModel: .gray)
        #expect(dataset.classes == ["NORMAL", "PNEUMONIA"])
        #expect(dataset.classCounts == [1341, 3875])
        #expect(dataset.count == 5216)
        #expect(dataset.labels.filter { $0 == 1 }.count == 3875)
        #expect(dataset.paths.first?.hasSuffix("NORMAL/IM-0115-0001.jpeg") == true)

        let sample = try dataset.sample(at: 1341)  // the first pneumonia file
        #expect(sample.label == 1 && sample.image.shape == [1, 224, 224])
        #expect(sample.identifier?.hasSuffix("PNEUMONIA/person1000_bacteria_2931.jpeg") == true)
        #expect(sample.image.scalars.allSatisfy { (0...1).contains($0) })
    }

    /// A folder with classes `a` (two good PNGs, one with an upper-case extension) and `b`
    /// (one good PNG, a corrupt `.png`, a truncated `.jpg`) plus files that are not images.
    static func makeFolderWithCorruptFiles() throws -> (root: URL, corrupt: [String]) {
        let root = try Support.temporaryFolder()
        for name in ["a", "b"] {
            try FileManager.default.createDirectory(at: root.appendingPathComponent(name), withIntermediateDirectories: true)
        }
        func write(_ value: UInt8, to path: String) throws {
            let image = Image(width: 3, height: 2, colorModel: .gray, pixels: [UInt8](repeating: value, count: 6))
            try image.write(toFile: root.appendingPathComponent(path).path, format: .png)
        }
        try write(10, to: "a/one.png")
        try write(20, to: "a/two.PNG")
        try write(30, to: "b/good.png")
        let corrupt = root.appendingPathComponent("b/corrupt.png").path
        try Data("this is not a PNG file".utf8).write(to: URL(fileURLWithPath: corrupt))
        let jpeg = try Image(width: 16, height: 16, colorModel: .gray, pixels: [UInt8](repeating: 128, count: 256)).jpegData()
        let truncated = root.appendingPathComponent("b/truncated.jpg").path
        try Data(jpeg.prefix(jpeg.count / 2)).write(to: URL(fileURLWithPath: truncated))
        try Data("notes".utf8).write(to: root.appendingPathComponent("b/README.txt"))
        try Data("hidden".utf8).write(to: root.appendingPathComponent("a/.DS_Store"))
        return (root, [corrupt, truncated])
    }

    @Test func failingValidationListsEveryUnreadableFile() throws {
        let (root, corrupt) = try Self.makeFolderWithCorruptFiles()
        defer { try? FileManager.default.removeItem(at: root) }
        do {
            _ = try ImageFolderDataset(root: root, onUnreadable: .fail)
            Issue.record("opening with .fail must throw")
        } catch {
            guard case .unreadableFiles(let files) = error else { throw error }
            #expect(files.map(\.path) == corrupt)
            #expect(files.allSatisfy { !$0.reason.isEmpty })
            #expect(error.description.contains(corrupt[0]) && error.description.contains(corrupt[1]))
        }
    }

    @Test func skippingValidationLeavesUnreadableFilesOut() throws {
        let (root, corrupt) = try Self.makeFolderWithCorruptFiles()
        defer { try? FileManager.default.removeItem(at: root) }
        let dataset = try ImageFolderDataset(root: root, onUnreadable: .skip)
        #expect(dataset.count == 3 && dataset.classCounts == [2, 1])
        #expect(dataset.skippedFiles.map(\.path) == corrupt)
        for index in 0..<dataset.count {
            let sample = try dataset.sample(at: index)
            #expect(sample.image.shape == [1, 2, 3] && sample.label == dataset.labels[index])
        }
        // Extensions are matched case-insensitively; hidden files and other extensions are not images.
        #expect(dataset.paths.map { ($0 as NSString).lastPathComponent } == ["one.png", "two.PNG", "good.png"])
        #expect(try dataset.sample(at: 1).image.scalars.allSatisfy { abs($0 - 20.0 / 255) < 1e-6 })
    }

    @Test func lazyDecodingThrowsTheCodecErrorNamingTheFile() throws {
        let (root, corrupt) = try Self.makeFolderWithCorruptFiles()
        defer { try? FileManager.default.removeItem(at: root) }
        let dataset = try ImageFolderDataset(root: root)
        #expect(dataset.count == 5)
        let index = try #require(dataset.paths.firstIndex(of: corrupt[0]))
        do {
            _ = try dataset.sample(at: index)
            Issue.record("decoding a corrupt file must throw")
        } catch let error as ImageCodecError {
            #expect(error.description.contains(corrupt[0]))
        }
    }

    @Test func missingOrEmptyFoldersThrowTypedErrors() throws {
        let root = try Support.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: root) }
        #expect(throws: DatasetError.noClasses(root: root.path)) { try ImageFolderDataset(root: root) }
        try FileManager.default.createDirectory(at: root.appendingPathComponent("empty"), withIntermediateDirectories: true)
        #expect(throws: DatasetError.emptyClasses(root: root.path, classes: ["empty"])) { try ImageFolderDataset(root: root) }
        let missing = root.appendingPathComponent("nowhere")
        #expect {
            try ImageFolderDataset(root: missing)
        } throws: { error in
            guard case .directoryUnreadable(let path, _) = error as? DatasetError else { return false }
            return path == missing.path
        }
    }
}
