import Foundation
import Layers
import Tensor
import Vision

/// Grad-CAM (Selvaraju et al., 2017): which regions of an X-ray drove the prediction.
///
/// The last convolutional feature maps are weighted by the spatial mean of the gradient of the
/// predicted class's logit with respect to them; the positive part of the weighted sum, scaled
/// to 0…1 and upsampled, is the heat map. Where that sum is negative everywhere, the map falls
/// back to LayerCAM's element-wise positive gradients rather than showing nothing. Gradients are taken with
/// `Tensor.gradients(withRespectTo:)`, so the shared model's parameters are never touched and
/// concurrent requests are safe.
public struct GradCAM: Sendable {
    /// The model and its preprocessing.
    public let classifier: Classifier

    /// Grad-CAM for a classifier whose architecture exposes its feature maps.
    public init(classifier: Classifier) throws {
        guard classifier.model is any FeatureMapClassifier else {
            throw RunError.incompatible("Grad-CAM is not available for \(classifier.metadata.architecture)")
        }
        self.classifier = classifier
    }

    /// The heat map `[h, w]` in 0…1 at the resolution of the feature maps (at least 7×7 where
    /// the input allows), and the class it
    /// explains (the predicted one).
    public func heatMap(for image: Image) -> (map: Tensor, explainedClass: Int) {
        let model = classifier.model as! any FeatureMapClassifier
        let input = classifier.metadata.preprocessing.input(from: image)
        // Feature maps without a graph behind them (no gradient into the trunk's weights),
        // then a fresh leaf so that only the head is recorded.
        let (trunk, head) = withoutGradients { model.split(input) }
        let maps = trunk.requiringGradient()
        let logits = head(maps)
        let predicted = logits.detached().argmax()
        let score = logits.slice(alongAxis: 1, start: predicted, end: predicted + 1).sum()
        let gradient = score.gradients(withRespectTo: [maps])[0] ?? Tensor.zeros(maps.shape)
        let features = maps.detached()
        let weights = gradient.mean(alongAxes: [2, 3], keepingDimensions: true)       // [1, K, 1, 1]
        var cam = (features * weights).sum(alongAxes: [1]).relu().squeezed(axes: [0])  // [h, w]
        if !(cam.max().scalar > 0) {
            // Grad-CAM is blank when the channel-averaged gradients push the score down
            // everywhere, which small, shallow maps (the 28-px model's 7×7) do for many
            // pneumonia images. LayerCAM (Jiang et al., 2021) weighs each location by its own
            // positive gradient instead, so any place that raises the score shows.
            cam = (features * gradient.relu()).sum(alongAxes: [1]).relu().squeezed(axes: [0])
        }
        let peak = cam.max().scalar
        return (peak > 0 ? cam / peak : cam, predicted)
    }

    /// The image as the model saw it (same geometry), at `displaySize` pixels, with the heat
    /// map blended over it in a perceptual colour scale.
    public func overlay(for image: Image, displaySize: Int = 448, opacity: Float = 0.45) throws -> Image {
        let (map, _) = heatMap(for: image)
        var geometry = classifier.metadata.preprocessing
        geometry.channels = 1
        geometry.imageSize = displaySize
        geometry.mean = [0]
        geometry.standardDeviation = [1]
        let background = geometry.input(from: image).squeezed(axes: [0])                // [1, S, S] in 0…1
        let heat = Resize(size: displaySize, antialias: false)(map.unsqueezed(at: 0))   // [1, S, S]
        var pixels = [UInt8](repeating: 0, count: displaySize * displaySize * 3)
        background.withUnsafeBufferPointer { gray in
            heat.withUnsafeBufferPointer { h in
                for i in 0..<(displaySize * displaySize) {
                    let g = min(max(gray[i], 0), 1)
                    let (r, gg, b) = Self.colour(min(max(h[i], 0), 1))
                    let a = opacity * min(1, h[i] * 1.5)  // faint where the model did not look
                    pixels[3 * i] = UInt8((g * (1 - a) + r * a) * 255 + 0.5)
                    pixels[3 * i + 1] = UInt8((g * (1 - a) + gg * a) * 255 + 0.5)
                    pixels[3 * i + 2] = UInt8((g * (1 - a) + b * a) * 255 + 0.5)
                }
            }
        }
        return Image(width: displaySize, height: displaySize, colorModel: .rgb, pixels: pixels)
    }

    /// A blue → cyan → yellow → red scale (perceptually ordered, readable over gray).
    static func colour(_ t: Float) -> (Float, Float, Float) {
        let stops: [(Float, Float, Float)] = [(0.05, 0.1, 0.6), (0, 0.75, 0.9), (1, 0.9, 0.1), (0.9, 0.1, 0.05)]
        let x = t * Float(stops.count - 1)
        let i = min(Int(x), stops.count - 2)
        let f = x - Float(i)
        let (a, b) = (stops[i], stops[i + 1])
        return (a.0 + (b.0 - a.0) * f, a.1 + (b.1 - a.1) * f, a.2 + (b.2 - a.2) * f)
    }
}
