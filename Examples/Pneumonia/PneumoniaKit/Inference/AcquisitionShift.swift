import Foundation
import Tensor
import Vision

/// A change in how an X-ray was acquired or exported — another scanner's exposure curve,
/// another hospital's JPEG settings, a different field of view, a burned-in marker — applied
/// to an image (CHW, values in 0…1, any size) before the run's preprocessing.
///
/// `pneumonia evaluate --shifts` scores a split under each shift of ``suite``: a model whose
/// operating point (sensitivity and specificity at its stored threshold) moves under these
/// has learned something about the acquisition rather than about the lungs, and will not
/// transfer to another hospital's images. Geometric shifts are relative to the image side,
/// so they mean the same at 28 px and at 2,000 px.
public struct AcquisitionShift: Transform {
    /// The kinds of shift.
    public enum Kind: Sendable, Equatable {
        /// `x^γ`: another detector's or viewer's exposure curve.
        case gamma(Float)
        /// Contrast around the mean gray level scaled by a factor.
        case contrast(Float)
        /// Every value multiplied by a factor.
        case brightness(Float)
        /// A Gaussian blur of standard deviation `fraction × side` (a softer detector or a
        /// lower original resolution).
        case blur(fraction: Float)
        /// An unsharp mask `x + amount · (x − blur(x))` with σ = 1/224 of the side (an edge-
        /// enhancing export filter).
        case sharpen(amount: Float)
        /// Additive Gaussian noise of this standard deviation (a lower dose).
        case noise(Float)
        /// A JPEG round trip at this quality (a stronger export compression).
        case jpeg(quality: Int)
        /// The content shrunk by this factor inside a black border (a wider field of view).
        case zoomOut(Float)
        /// The central region of this fraction of the side, enlarged to fill the image (a
        /// tighter collimation).
        case zoomIn(Float)
        /// The width scaled by this factor about the centre, cropped or padded back (an
        /// original of another aspect ratio, stretched to a square by the export).
        case aspect(Float)
        /// A white block letter burned into the top-left corner (a laterality marker).
        case marker
        /// The image histogram-equalized (a viewer's or PACS's display processing).
        case equalized
    }

    /// The shift's short name, as the table shows it.
    public let name: String
    /// What it does.
    public let kind: Kind

    /// A named shift.
    public init(_ name: String, _ kind: Kind) {
        (self.name, self.kind) = (name, kind)
    }

    /// The shifts `evaluate --shifts` applies, each about as strong as the differences
    /// between hospitals' exports of the same kind of X-ray.
    public static let suite: [AcquisitionShift] = [
        .init("gamma 0.7", .gamma(0.7)), .init("gamma 1.4", .gamma(1.4)),
        .init("contrast 0.7", .contrast(0.7)), .init("contrast 1.3", .contrast(1.3)),
        .init("brightness 0.8", .brightness(0.8)), .init("brightness 1.2", .brightness(1.2)),
        .init("blur 1%", .blur(fraction: 0.01)), .init("sharpen", .sharpen(amount: 1.5)),
        .init("noise 0.04", .noise(0.04)), .init("jpeg q20", .jpeg(quality: 20)),
        .init("zoom out 0.85", .zoomOut(0.85)), .init("zoom in 0.85", .zoomIn(0.85)),
        .init("aspect 0.8", .aspect(0.8)), .init("aspect 1.25", .aspect(1.25)),
        .init("marker", .marker), .init("equalized", .equalized),
    ]

    /// The shifted image (noise drawn from `generator`).
    public func callAsFunction(_ image: Tensor, generator: inout RandomGenerator) -> Tensor {
        let height = image.shape[1], width = image.shape[2]
        let side = Float(min(height, width))
        switch kind {
        case .gamma(let gamma): return image.gammaAdjusted(gamma)
        case .contrast(let factor): return image.contrastAdjusted(by: factor)
        case .brightness(let factor): return image.brightnessAdjusted(by: factor)
        case .blur(let fraction): return Self.blurred(image, sigma: max(0.3, fraction * side))
        case .sharpen(let amount):
            let smooth = Self.blurred(image, sigma: max(0.5, side / 224))
            return (image + (image - smooth) * amount).clamped(min: 0, max: 1)
        case .noise(let deviation):
            return GaussianNoise(standardDeviation: deviation)(image, generator: &generator)
        case .jpeg(let quality):
            let image8 = Image(tensor: image.clamped(min: 0, max: 1))
            guard let bytes = try? image8.jpegData(quality: quality), let decoded = try? Image.decode(bytes) else { return image }
            return Tensor(image: decoded, colorModel: image.shape[0] == 1 ? .gray : nil)
        case .zoomOut(let factor):
            let h = max(1, Int((Float(height) * factor).rounded())), w = max(1, Int((Float(width) * factor).rounded()))
            let top = (height - h) / 2, left = (width - w) / 2
            return image.resized(height: h, width: w).padded(top: top, left: left, bottom: height - h - top, right: width - w - left)
        case .zoomIn(let fraction):
            let h = max(1, Int((Float(height) * fraction).rounded())), w = max(1, Int((Float(width) * fraction).rounded()))
            let region = ImageRegion(top: (height - h) / 2, left: (width - w) / 2, height: h, width: w)
            return image.cropped(to: region).resized(height: height, width: width)
        case .aspect(let factor):
            let w = max(1, Int((Float(width) * factor).rounded()))
            let scaled = image.resized(height: height, width: w)
            let left = (w - width) / 2  // negative: pad
            return scaled.cropped(to: ImageRegion(top: 0, left: left, height: height, width: width))
        case .marker: return Self.markerBurnedIn(image)
        case .equalized: return image.histogramEqualized()
        }
    }

    /// A Gaussian blur whose kernel covers ±3σ.
    static func blurred(_ image: Tensor, sigma: Float) -> Tensor {
        let radius = max(1, Int((3 * sigma).rounded(.up)))
        return image.gaussianBlurred(kernelSize: 2 * radius + 1, sigma: sigma)
    }

    /// The image with a white "L" (a laterality marker) in the top-left corner: bars 3 % of the
    /// side thick, 12 % tall and 8 % wide, 5 % from the edges.
    static func markerBurnedIn(_ image: Tensor) -> Tensor {
        let height = image.shape[1], width = image.shape[2]
        let side = Double(min(height, width))
        func px(_ f: Double) -> Int { max(1, Int((f * side).rounded())) }
        let top = px(0.05), left = px(0.05), thick = px(0.03), tall = px(0.12), wide = px(0.08)
        var result = image
        result.withUnsafeMutableBufferPointer { p in
            for c in 0..<image.shape[0] {
                for y in top..<min(height, top + tall) {
                    for x in left..<min(width, left + wide) where x < left + thick || y >= top + tall - thick {
                        p[(c * height + y) * width + x] = 1
                    }
                }
            }
        }
        return result
    }
}
