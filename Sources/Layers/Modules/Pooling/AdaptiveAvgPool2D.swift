import Tensor

/// Average pooling to a fixed output size whatever the input size (PyTorch's
/// `nn.AdaptiveAvgPool2d`): VGG's 7×7 and ResNet's 1×1 before the classifier.
public final class AdaptiveAvgPool2D: Module {
    /// The output's (height, width).
    public let outputSize: (Int, Int)

    /// Pooling to `outputSize`.
    public init(outputSize: (Int, Int)) {
        self.outputSize = outputSize
    }

    /// Pooling to a square `outputSize`×`outputSize`.
    public convenience init(outputSize: Int) {
        self.init(outputSize: (outputSize, outputSize))
    }

    /// The pooled input, `[N, C, outputHeight, outputWidth]`.
    public override func forward(_ input: Tensor) -> Tensor {
        adaptiveAvgPool2d(input, outputSize: outputSize)
    }
}
