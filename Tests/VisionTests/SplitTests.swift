import FathomTestSupport
import Foundation
import Testing
import Vision

/// Stratified and patient-grouped splits, on synthetic labels and on the real Kermany names.
@Suite("Dataset splits")
struct SplitTests {
    typealias Support = VisionTestSupport

    @Test func stratifiedSplitKeepsEachClassRatio() {
        // 300 of class 0, 100 of class 1, 50 of class 2, interleaved.
        let labels = (0..<300).map { _ in 0 } + (0..<100).map { _ in 1 } + (0..<50).map { _ in 2 }
        let shuffledLabels = labels.enumerated().sorted { ($0.offset * 7919) % 450 < ($1.offset * 7919) % 450 }.map(\.element)
        let split = stratifiedSplit(labels: shuffledLabels, fraction: 0.2, seed: 3)
        let validationCounts = (0..<3).map { c in split.validation.filter { shuffledLabels[$0] == c }.count }
        #expect(validationCounts == [60, 20, 10])
        #expect(Set(split.training).isDisjoint(with: split.validation))
        #expect((split.training + split.validation).sorted() == Array(0..<450))
        #expect(split == stratifiedSplit(labels: shuffledLabels, fraction: 0.2, seed: 3))
        #expect(split != stratifiedSplit(labels: shuffledLabels, fraction: 0.2, seed: 4))
    }

    @Test func kermanyPatientIdentifiersFollowTheFileNames() {
        #expect(kermanyPatientIdentifier(fileName: "person1234_bacteria_3077.jpeg") == "person1234")
        #expect(kermanyPatientIdentifier(fileName: "person1234_virus_2118.jpeg") == "person1234")
        #expect(kermanyPatientIdentifier(fileName: "person447_virus_921_1.jpeg") == "person447")
        #expect(kermanyPatientIdentifier(fileName: "IM-0115-0001.jpeg") == "IM-0115")
        #expect(kermanyPatientIdentifier(fileName: "IM-0429-0001-0002.jpeg") == "IM-0429")
        #expect(kermanyPatientIdentifier(fileName: "/data/train/NORMAL/NORMAL2-IM-1427-0001.jpeg") == "IM-1427")
        #expect(kermanyPatientIdentifier(fileName: "NORMAL2-IM-0429-0001.jpeg") == kermanyPatientIdentifier(fileName: "IM-0429-0001.jpeg"))
        #expect(kermanyPatientIdentifier(fileName: "scan.png") == "scan")
    }

    @Test func groupedSplitNeverSeparatesAGroup() {
        // 40 groups of sizes 1...4, labels by group.
        var keys: [String] = [], labels: [Int] = []
        for group in 0..<40 {
            for _ in 0..<(group % 4 + 1) {
                keys.append("g\(group)")
                labels.append(group % 3 == 0 ? 1 : 0)
            }
        }
        let split = groupedSplit(keys: keys, labels: labels, fraction: 0.25, seed: 9)
        let trainingKeys = Set(split.training.map { keys[$0] }), validationKeys = Set(split.validation.map { keys[$0] })
        #expect(trainingKeys.isDisjoint(with: validationKeys))
        #expect((split.training + split.validation).sorted() == Array(keys.indices))
        let share = Double(split.validation.count) / Double(keys.count)
        #expect(abs(share - 0.25) < 0.05, "validation share \(share)")
    }

    @Test func patientGroupedSplitOfTheKermanyFolderSharesNoPatientAndKeepsTheRatio() throws {
        let root = try SharedData.dataFolder("chest_xray_224/train")
        let dataset = try ImageFolderDataset(root: root)
        let keys = dataset.paths.map { kermanyPatientIdentifier(fileName: $0) }
        let split = groupedSplit(keys: keys, labels: dataset.labels, fraction: 0.15, seed: 42)

        let trainingPatients = Set(split.training.map { keys[$0] })
        let validationPatients = Set(split.validation.map { keys[$0] })
        #expect(trainingPatients.isDisjoint(with: validationPatients), "a patient is on both sides")
        #expect(split.training.count + split.validation.count == dataset.count)

        func pneumoniaShare(_ indices: [Int]) -> Double {
            Double(indices.filter { dataset.labels[$0] == 1 }.count) / Double(indices.count)
        }
        let overall = 3875.0 / 5216, training = pneumoniaShare(split.training), validation = pneumoniaShare(split.validation)
        print("""
            Kermany patient split (fraction 0.15, seed 42): \
            training \(split.training.count) images, \(trainingPatients.count) patients, pneumonia \(String(format: "%.2f%%", 100 * training)); \
            validation \(split.validation.count) images, \(validationPatients.count) patients, pneumonia \(String(format: "%.2f%%", 100 * validation)); \
            overall \(String(format: "%.2f%%", 100 * overall))
            """)
        #expect(abs(training - overall) < 0.02 && abs(validation - overall) < 0.02)
        let share = Double(split.validation.count) / Double(dataset.count)
        #expect(abs(share - 0.15) < 0.01, "validation share \(share)")
    }
}
