import Vision

/// The augmentation presets `pneumonia train --augmentation` offers. They act on images in
/// 0…1 at the model's input size, before normalization.
public enum Augmentation {
    /// The preset names.
    public static let names = ["none", "light", "strong"]

    /// The transform of a preset, or `nil` for an unknown name.
    ///
    /// - `light`: small rotations, shifts and zooms — X-rays are taken upright and centred, so
    ///   only small geometric changes keep them realistic. No flips: the heart sits on the left.
    /// - `strong`: larger geometry plus brightness, contrast and gamma changes, blur and noise,
    ///   imitating other scanners and exposure settings (what helps a model survive the move to
    ///   another hospital's images).
    public static func preset(_ name: String) -> (any Transform)? {
        switch name {
        case "none":
            return Compose([])
        case "light":
            return RandomAffine(degrees: -10...10, translate: (x: 0.06, y: 0.06), scale: 0.92...1.08)
        case "strong":
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
        default:
            return nil
        }
    }
}
