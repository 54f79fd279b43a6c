import Tensor

/// A small CNN for chest X-rays from 28×28 (PneumoniaMNIST) up to 224×224: four blocks of
/// 3×3 convolution, batch norm, ReLU and 2×2 max pooling (32, 32, 64, 64 channels), global
/// average pooling, dropout and a linear classifier — about 65 k parameters for one input channel and two classes.
///
/// Each block pools before its ReLU (`features.N.2` is the pool, `features.N.3` the ReLU):
/// max and ReLU commute exactly, ReLU being monotonic, so outputs and gradients are those of
/// conv → BN → ReLU → pool, while the ReLU touches a quarter of the values and keeps a
/// quarter-size activation for the backward pass (peak memory of a 128-px training step
/// 428 → 343 MiB).
///
/// Names: `features.N.0` (convolution), `features.N.1` (batch norm), `classifier.1` (linear).
/// Inputs must be at least 16×16 (four halvings).
public final class CompactCNN: Module {
    /// The convolutional blocks.
    public var features: Sequential
    /// Global average pooling to `[N, C]`.
    public let pool = GlobalAvgPool2D()
    /// Dropout and the final linear layer.
    public var classifier: Sequential

    /// A network for `inputChannels`-channel images and `classCount` classes.
    /// - Parameters:
    ///   - widths: the channel count of each block.
    ///   - dropout: the dropout probability before the classifier.
    ///   - seed: fixes the initial weights and the dropout stream.
    public init(inputChannels: Int = 1, classCount: Int = 2, widths: [Int] = [32, 32, 64, 64],
                dropout: Float = 0.2, seed: UInt64 = 0) {
        precondition(!widths.isEmpty, "CompactCNN: needs at least one block")
        var rng = RandomGenerator(seed: seed)
        var blocks: [Module] = []
        var channels = inputChannels
        for width in widths {
            let block = Sequential.convNormActivation(channels, width, kernelSize: 3, padding: .pytorch,
                                                      activation: nil, generator: &rng)
            block.layers += [MaxPool2D(kernelSize: 2), ReLU()]
            blocks.append(block)
            channels = width
        }
        features = Sequential(blocks)
        classifier = Sequential(Dropout(probability: dropout, generator: rng.split()),
                                Linear(channels, classCount, generator: &rng))
    }

    /// Class logits `[N, classCount]` for images `[N, inputChannels, H, W]`.
    public override func forward(_ input: Tensor) -> Tensor {
        classifier(pool(features(input)))
    }
}
