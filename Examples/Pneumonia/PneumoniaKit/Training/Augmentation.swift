import Vision

/// The augmentation presets `pneumonia train --augmentation` offers, spelled in `run.json` and
/// on the command line by their raw values. They act on images in 0…1 at the model's input
/// size, before normalization.
public enum Augmentation: String, Codable, CaseIterable, Sendable {
    /// No augmentation.
    case none
    /// Small rotations, shifts and zooms — X-rays are taken upright and centred, so only small
    /// geometric changes keep them realistic. No flips: the heart sits on the left.
    case light
    /// Larger geometry plus brightness, contrast and gamma changes, blur and noise, imitating
    /// other scanners and exposure settings; on image folders ``acquisition`` transferred
    /// better (README, "Generalization").
    case strong
    /// What differs between hospitals' exports of the same chest — the original's aspect ratio
    /// (the Kermany folder stretches every image to a square, and in it pneumonia originals are
    /// wider than normal ones, so the stretched chest's width tells the class: a crop of random
    /// aspect 2:3…3:2 and area 70–100 % removes that cue), field of view, exposure curve,
    /// sharpness and noise.
    case acquisition

    /// The preset's random transform for inputs `imageSize` pixels wide (which scales
    /// ``acquisition``'s crop and blur).
    public func transform(imageSize: Int) -> any Transform {
        switch self {
        case .none:
            return Compose([])
        case .light:
            return RandomAffine(degrees: -10...10, translate: (x: 0.06, y: 0.06), scale: 0.92...1.08)
        case .strong:
            return Compose {
                RandomAffine(degrees: -15...15, translate: (x: 0.1, y: 0.1), scale: 0.85...1.15, shearX: -8...8)
                RandomApply(probability: 0.8) {
                    RandomBrightness(0.25)
                    RandomContrast(0.3)
                    RandomGamma(gamma: 0.7...1.4)
                }
                RandomApply(GaussianBlur(kernelSize: 3, sigma: 0.1...1.0), probability: 0.3)
                RandomApply(GaussianNoise(standardDeviation: 0.03), probability: 0.3)
            }
        case .acquisition:
            return Compose {
                RandomResizedCrop(size: imageSize, scale: 0.7...1, ratio: (2.0 / 3)...1.5)
                RandomAffine(degrees: -10...10, translate: (x: 0.06, y: 0.06), scale: 0.85...1.05)
                RandomApply(probability: 0.8) {
                    RandomBrightness(0.25)
                    RandomContrast(0.3)
                    RandomGamma(gamma: 0.7...1.4)
                }
                RandomApply(GaussianBlur(kernelSize: 2 * max(1, imageSize / 64) + 1, sigma: 0.1...max(0.5, Float(imageSize) / 128)),
                            probability: 0.25)
                RandomApply(GaussianNoise(standardDeviation: 0.03), probability: 0.25)
            }
        }
    }
}
