import ArgumentParser
import PneumoniaKit

/// How `train` prepares its training images: the augmentation preset and the gray-level step.
/// Each property is the training-configuration choice of the same name; `nil` keeps the
/// default, or the resumed run's value.
struct ImageOptions: ParsableArguments, Encodable {
    @Option(help: "none, light, strong or acquisition (default: light; acquisition for folders).")
    var augmentation: Augmentation?

    @Option(help: "Gray levels before resizing: none or equalize (histogram equalization).")
    var intensity: Preprocessing.Intensity?
}
