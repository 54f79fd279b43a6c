import Foundation
import PneumoniaKit
import Testing
import Vision

/// `pneumonia evaluate --data` on labelled data without any training data beside it: a root
/// holding only `test/`, a plain folder of class folders, folders reached through symbolic
/// links; and the table it prints, one column per distinct threshold.
@Suite struct EvaluationSetTests {
    /// The serve fixture's untrained 64-px CNN with its threshold at 0.5, as most runs have.
    static let run: Result<RunDirectory, any Error> = Result { try ServeFixture.makeRun(threshold: 0.5) }

    /// Scores the data at `path` as `pneumonia evaluate --data PATH --split SPLIT` does.
    static func evaluate(_ path: URL, split: String = "test") throws -> (images: EvaluationSet, evaluation: Evaluation) {
        let classifier = try Classifier(run: run.get())
        let images = try EvaluationSet(path: path.path, split: split, metadata: classifier.metadata)
        let evaluation = try Evaluation(classifier: classifier, dataset: images.dataset,
                                        workers: classifier.metadata.configuration.workers)
        return (images, evaluation)
    }

    /// Each file's probability as `pneumonia predict` computes it.
    static func predicted(_ files: [URL]) throws -> [Float] {
        let classifier = try Classifier(run: run.get())
        return try files.map { classifier.probability(of: try Image(contentsOf: $0)) }
    }

    @Test func rootHoldingOnlyATestFolder() throws {
        let root = try XRayFolderFixture.temporaryFolder()
        let files = try XRayFolderFixture.makeClassFolders(in: root.appendingPathComponent("test"))
        let (images, evaluation) = try Self.evaluate(root)
        #expect(images.description == "the test split of \(root.lastPathComponent)")
        #expect(evaluation.labels == [0, 0, 0, 1, 1, 1])
        for (p, q) in zip(evaluation.probabilities, try Self.predicted(files)) { #expect(abs(p - q) < 1e-5) }
        // A split the root does not have is named, with what it has.
        #expect(throws: EvaluationSetError.missingSplit(root: root.path, split: "train", present: ["test"])) {
            try Self.evaluate(root, split: "train")
        }
    }

    @Test func folderOfClassFolders() throws {
        let folder = try XRayFolderFixture.temporaryFolder()
        let files = try XRayFolderFixture.makeClassFolders(in: folder, count: 2)
        let (images, evaluation) = try Self.evaluate(folder)
        #expect(images.name == "folder \(folder.lastPathComponent)")
        #expect(evaluation.labels == [0, 0, 1, 1])
        for (p, q) in zip(evaluation.probabilities, try Self.predicted(files)) { #expect(abs(p - q) < 1e-5) }

        // Only pneumonia images: still the model's label 1, not the folder's first class (0).
        let pneumoniaOnly = try XRayFolderFixture.temporaryFolder()
        try XRayFolderFixture.makeClassFolders(in: pneumoniaOnly, classes: ["PNEUMONIA"], count: 2)
        #expect(try Self.evaluate(pneumoniaOnly).evaluation.labels == [1, 1])

        // Classes the model does not know are refused, naming the folder.
        let other = try XRayFolderFixture.temporaryFolder()
        try XRayFolderFixture.makeClassFolders(in: other, count: 1)
        try FileManager.default.moveItem(at: other.appendingPathComponent("NORMAL"), to: other.appendingPathComponent("HEALTHY"))
        #expect(throws: EvaluationSetError.unknownClasses(folder: other.path, classes: ["HEALTHY", "PNEUMONIA"],
                                                          expected: ["NORMAL", "PNEUMONIA"])) {
            try Self.evaluate(other)
        }
    }

    @Test func symlinkedFoldersAndClassFolders() throws {
        let base = try XRayFolderFixture.temporaryFolder()
        let real = base.appendingPathComponent("real")
        let files = try XRayFolderFixture.makeClassFolders(in: real)
        // xrays → linked (a link to the root), whose test/ holds links to the class folders,
        // which hold links to the images.
        for label in ["NORMAL", "PNEUMONIA"] {
            try XRayFolderFixture.symlink(base.appendingPathComponent("linked/test/\(label)"), to: real.appendingPathComponent(label))
        }
        try XRayFolderFixture.symlink(base.appendingPathComponent("xrays"), to: base.appendingPathComponent("linked"))
        let (images, evaluation) = try Self.evaluate(base.appendingPathComponent("xrays"))
        #expect(images.description == "the test split of xrays")
        #expect(evaluation.labels == [0, 0, 0, 1, 1, 1])
        for (p, q) in zip(evaluation.probabilities, try Self.predicted(files)) { #expect(abs(p - q) < 1e-5) }

        // A link straight to a folder of class folders.
        try XRayFolderFixture.symlink(base.appendingPathComponent("direct"), to: real)
        #expect(try Self.evaluate(base.appendingPathComponent("direct")).evaluation.labels == [0, 0, 0, 1, 1, 1])
    }

    @Test func tableHasOneColumnPerDistinctThreshold() throws {
        let folder = try XRayFolderFixture.temporaryFolder()
        try XRayFolderFixture.makeClassFolders(in: folder, count: 2)
        let (_, evaluation) = try Self.evaluate(folder)
        func columns(_ table: String) -> (header: [Substring], accuracy: [Substring]) {
            let lines = table.split(separator: "\n", omittingEmptySubsequences: false)
            let accuracy = lines.first { $0.hasPrefix("accuracy") } ?? ""
            return (lines[2].split(separator: " "), accuracy.split(separator: " ").dropFirst().map { $0 })
        }
        // The run's threshold is 0.5: one column, not two identical ones.
        let single = columns(evaluation.table(title: "t"))
        #expect(single.header == ["@0.500"])
        #expect(single.accuracy.count == 1)
        // Another threshold keeps 0.5 beside it.
        let other = Evaluation(labels: evaluation.labels, probabilities: evaluation.probabilities, threshold: 0.25)
        let double = columns(other.table(title: "t"))
        #expect(double.header == ["@0.250", "@0.500"])
        #expect(double.accuracy.count == 2)
    }
}
