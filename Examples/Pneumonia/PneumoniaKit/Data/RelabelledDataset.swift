import Vision

/// A dataset whose labels are renumbered: an image folder with only some of a model's class
/// folders (just `PNEUMONIA/`, say) numbers its classes from 0, and evaluation needs the
/// model's numbering.
struct RelabelledDataset: Dataset {
    /// The images.
    let base: AnyDataset
    /// The model's label for each of the base's labels.
    let labels: [Int]

    var count: Int { base.count }

    func sample(at index: Int) throws -> Sample {
        var sample = try base.sample(at: index)
        sample.label = labels[sample.label]
        return sample
    }

    func label(at index: Int) throws -> Int {
        labels[try base.label(at: index)]
    }
}
