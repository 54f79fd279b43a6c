import Tensor

/// The two sides of a train/validation split: indices into the original dataset, ascending.
public struct SplitIndices: Sendable, Hashable {
    /// The indices kept for training.
    public let training: [Int]
    /// The indices held out for validation.
    public let validation: [Int]

    /// A split from its two sides.
    public init(training: [Int], validation: [Int]) {
        (self.training, self.validation) = (training, validation)
    }
}

/// Splits indices `0..<labels.count` so that each class sends `round(fraction · n)` of its
/// `n` samples, chosen at random, to validation: both sides keep the class ratios
/// (scikit-learn's `train_test_split(stratify=)`).
///
/// - Parameters:
///   - labels: the class of every sample.
///   - fraction: the share of each class held out for validation, in 0...1.
///   - seed: the same seed gives the same split.
public func stratifiedSplit(labels: [Int], fraction: Double, seed: UInt64) -> SplitIndices {
    groupedSplit(keys: labels.indices.map(String.init), labels: labels, fraction: fraction, seed: seed)
}

/// Splits indices `0..<keys.count` so that samples sharing a key (a patient) all fall on the
/// same side, with about `fraction` of the samples in validation.
///
/// With `labels`, each group is assigned to its majority class and the classes are split
/// separately, so both sides keep the class ratios as well as whole groups allow. Within a
/// class, groups are shuffled and each is put in validation when that brings the validation
/// count closer to `fraction` of the class.
///
/// - Parameters:
///   - keys: the group of every sample (e.g. ``kermanyPatientIdentifier(fileName:)``).
///   - labels: the class of every sample, or `nil` to ignore classes.
///   - fraction: the share of samples held out for validation, in 0...1.
///   - seed: the same seed gives the same split.
public func groupedSplit(keys: [String], labels: [Int]? = nil, fraction: Double, seed: UInt64) -> SplitIndices {
    precondition((0...1).contains(fraction), "groupedSplit: fraction \(fraction) is outside 0...1")
    if let labels {
        precondition(labels.count == keys.count, "groupedSplit: \(keys.count) keys but \(labels.count) labels")
    }
    // Groups in order of first appearance, so the result does not depend on hashing.
    var groupOfKey: [String: Int] = [:]
    var members: [[Int]] = []
    for (index, key) in keys.enumerated() {
        if let group = groupOfKey[key] {
            members[group].append(index)
        } else {
            groupOfKey[key] = members.count
            members.append([index])
        }
    }
    // Each group's class is its most frequent label (ties to the smaller label).
    var groupsOfClass: [Int: [Int]] = [:]
    for (group, indices) in members.enumerated() {
        var votes: [Int: Int] = [:]
        for index in indices { votes[labels?[index] ?? 0, default: 0] += 1 }
        let label = votes.max { $0.value < $1.value || ($0.value == $1.value && $0.key > $1.key) }!.key
        groupsOfClass[label, default: []].append(group)
    }
    var generator = RandomGenerator(seed: seed)
    var validation: [Int] = []
    for label in groupsOfClass.keys.sorted() {
        let groups = groupsOfClass[label]!
        let order = Tensor.permutation(groups.count, generator: &generator).map { groups[$0] }
        let total = groups.reduce(0) { $0 + members[$1].count }
        let target = (fraction * Double(total)).rounded()
        var taken = 0
        for group in order {
            let size = members[group].count
            if abs(Double(taken + size) - target) < abs(Double(taken) - target) {
                validation += members[group]
                taken += size
            }
        }
    }
    validation.sort()
    let held = Set(validation)
    return SplitIndices(training: keys.indices.filter { !held.contains($0) }, validation: validation)
}

/// The patient of a file of the Kermany et al. chest X-ray dataset, from its name, so that
/// a validation split never shares a patient with training.
///
/// - `person1234_bacteria_3077.jpeg`, `person1234_virus_5.jpeg` → `person1234`
/// - `IM-0115-0001.jpeg`, `IM-0429-0001-0002.jpeg` → `IM-0115`, `IM-0429`
/// - `NORMAL2-IM-1427-0001.jpeg` → `IM-1427`: the second batch of normal scans reuses the
///   `IM-` numbering, and whether `NORMAL2-IM-0429` is the patient of `IM-0429` cannot be
///   told, so both are kept together (grouping too much never leaks).
/// - any other name → the name without its extension (a group of its own).
///
/// The path may include folders.
public func kermanyPatientIdentifier(fileName: String) -> String {
    var name = Substring(fileName)
    if let slash = name.lastIndex(of: "/") { name = name[name.index(after: slash)...] }
    if let dot = name.lastIndex(of: ".") { name = name[..<dot] }
    if let match = name.firstMatch(of: /^person(\d+)_/) {
        return "person\(match.1)"
    }
    if let match = name.firstMatch(of: /(?:^|-)IM-(\d+)-/) {
        return "IM-\(match.1)"
    }
    return String(name)
}
