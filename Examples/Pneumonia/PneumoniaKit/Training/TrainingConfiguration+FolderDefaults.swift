extension TrainingConfiguration {
    /// The options whose default differs for image folders.
    public enum FolderDefault: Sendable, Hashable {
        /// `acquisition` instead of `light`.
        case augmentation
        /// `shifted-youden` instead of `fixed`.
        case thresholdRule
        /// 28 px from scratch (with ``Values/pretrained`` weights the data's 128 px default stays).
        case imageSize
    }

    /// Switches to the image-folder recipe every option not in `given` (README,
    /// "Generalization"): the Kermany folder stretched each X-ray to a square, which makes the
    /// chest's width a class shortcut; random-aspect crops remove it, the threshold is set where
    /// it holds under acquisition shifts, and from scratch 28 px transferred best to the
    /// held-out patients.
    public mutating func applyFolderDefaults(except given: Set<FolderDefault> = []) {
        if !given.contains(.augmentation) { values.augmentation = .acquisition }
        if !given.contains(.thresholdRule) { values.thresholdRule = .shiftedYouden }
        if !given.contains(.imageSize), values.pretrained == nil { values.imageSize = 28 }
    }
}
