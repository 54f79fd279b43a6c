import Foundation
import Layers
import Tensor
import Vision

/// How an image of any size becomes a model input. Stored in every run's metadata, so that
/// evaluate, predict and serve prepare images exactly as training did, whatever their size
/// and colour.
public struct Preprocessing: Codable, Sendable, Equatable {
    /// How a non-square image is made square before resizing.
    public enum Geometry: String, Codable, Sendable {
        /// Crop the centred square of the short side (how MedMNIST made PneumoniaMNIST).
        case centerCropSquare = "center-crop-square"
        /// Resize the whole image, ignoring its aspect (how the 224 px Kermany folder was made).
        case stretch
    }

    /// What is done to the gray levels before resizing.
    public enum Intensity: String, Codable, Sendable, CaseIterable {
        /// Nothing: the exported gray levels as they are.
        case unchanged = "none"
        /// Histogram equalization of each image at its own resolution (Pillow's
        /// `ImageOps.equalize`), which maps every exposure curve and contrast setting to the
        /// same flat histogram.
        case equalized = "equalize"
    }

    /// Where ``mean`` and ``standardDeviation`` come from.
    public enum Normalization: Codable, Sendable, Equatable {
        /// Measured on the training images (networks trained from scratch).
        case trainingImages
        /// Fixed by the pretrained network the run was fine-tuned from (its zoo name): the
        /// ImageNet convention `(p − offset)/scale` on 0–255 pixels, which its weights expect.
        case pretrained(architecture: String, pixelOffset: Float, pixelScale: Float)
    }

    /// Side length of the model input.
    public var imageSize: Int
    /// 1 (gray; also for fine-tuned ImageNet backbones, whose stem is adapted) or 3 (gray
    /// repeated into RGB).
    public var channels: Int
    /// Square-making policy.
    public var geometry: Geometry
    /// Per-channel mean subtracted from pixels in 0…1.
    public var mean: [Float]
    /// Per-channel standard deviation divided out.
    public var standardDeviation: [Float]
    /// Where the statistics come from (`nil` in runs written before this was recorded: the
    /// training images).
    public var normalization: Normalization?
    /// The gray-level step (`nil` in runs written before it existed: unchanged).
    public var intensity: Intensity?

    /// A preprocessing description.
    public init(imageSize: Int, channels: Int = 1, geometry: Geometry, mean: [Float], standardDeviation: [Float],
                normalization: Normalization? = nil, intensity: Intensity? = nil) {
        precondition(channels == 1 || channels == 3, "Preprocessing: channels must be 1 or 3, got \(channels)")
        precondition(mean.count == channels && standardDeviation.count == channels,
                     "Preprocessing: need \(channels) means and standard deviations")
        self.imageSize = imageSize
        self.channels = channels
        self.geometry = geometry
        self.mean = mean
        self.standardDeviation = standardDeviation
        self.normalization = normalization
        self.intensity = intensity == .unchanged ? nil : intensity
    }

    /// The input preparation of a network fine-tuned from `architecture`'s ImageNet weights:
    /// one gray channel (the network's stem sums its RGB filters, see `FineTunable.adapt`)
    /// normalized as the weights expect. `(p − offset)/scale` on 0–255 pixels is
    /// `(x − offset/255)/(scale/255)` on the 0…1 values ``transform`` works on.
    public static func pretrained(_ architecture: PretrainedArchitecture, imageSize: Int, geometry: Geometry,
                                  intensity: Intensity = .unchanged) -> Preprocessing {
        Preprocessing(imageSize: imageSize, channels: 1, geometry: geometry, mean: [architecture.pixelOffset / 255],
                      standardDeviation: [architecture.pixelScale / 255],
                      normalization: .pretrained(architecture: architecture.name, pixelOffset: architecture.pixelOffset,
                                                 pixelScale: architecture.pixelScale),
                      intensity: intensity)
    }

    /// The deterministic part as a transform: colour, gray levels, square, resize, normalize.
    /// Images already at the right size and colour pass through the first steps untouched.
    public var transform: any Transform { transform(augmentedBy: nil) }

    /// The preparation with `augmentation` applied at the model's input size, before
    /// normalization (on values in 0…1): how the trainer prepares its images.
    public func transform(augmentedBy augmentation: (any Transform)?) -> any Transform {
        var steps: [any Transform] = [ChannelConversion(channels: channels)]
        if intensity == .equalized { steps.append(HistogramEqualization()) }
        steps.append(SquareToSize(size: imageSize, geometry: geometry))
        if let augmentation { steps.append(augmentation) }
        steps.append(Normalize(mean: mean, standardDeviation: standardDeviation))
        return Compose(steps)
    }

    /// A decoded image (any size, gray or colour) as a normalized `[1, C, S, S]` batch.
    public func input(from image: Image) -> Tensor {
        var generator = RandomGenerator(seed: 0)  // unused: the transform is deterministic
        return transform(Tensor(image: image), generator: &generator).unsqueezed(at: 0)
    }
}

/// Converts a CHW image to the model's channel count (RGB → luma, or gray repeated).
struct ChannelConversion: DeterministicTransform {
    let channels: Int

    func callAsFunction(_ image: Tensor) -> Tensor {
        let c = image.shape[0]
        if c == channels { return image }
        var gray = image
        if c == 3 || c == 4 {
            // ITU-R BT.601 luma, as PIL's convert("L").
            let rgb = image.slice(alongAxis: 0, start: 0, end: 3)
            gray = (rgb * Tensor(shape: [3, 1, 1], scalars: [0.299, 0.587, 0.114])).sum(alongAxes: [0], keepingDimensions: true)
        } else if c == 2 {
            gray = image.slice(alongAxis: 0, start: 0, end: 1)  // drop alpha
        }
        return channels == 1 ? gray : gray.expanded(to: [channels] + Array(gray.shape.dropFirst()))
    }
}

/// Makes an image square by the stored policy and resizes it to `size`×`size` with
/// antialiasing.
struct SquareToSize: DeterministicTransform {
    let size: Int
    let geometry: Preprocessing.Geometry

    func callAsFunction(_ image: Tensor) -> Tensor {
        let h = image.shape[1], w = image.shape[2]
        var square = image
        if geometry == .centerCropSquare && h != w {
            square = CenterCrop(size: min(h, w))(image)
        }
        if square.shape[1] == size && square.shape[2] == size { return square }
        return Resize(size: size)(square)
    }
}
