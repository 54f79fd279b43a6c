/// How the zoo's architectures pad their convolutions: PyTorch's fixed symmetric padding or
/// TensorFlow's input-dependent SAME padding.
///
/// The two agree for stride-1 convolutions with odd kernels; with stride 2 on even sizes
/// TensorFlow pads only the bottom/right. Weights trained in TensorFlow (EfficientNet-Lite,
/// the TF-Lite MobileNetV2) give the reference outputs only with `.tensorFlowSame`.
public enum PaddingConvention: Sendable, Equatable {
    /// `(k − 1)/2 · dilation` on every side, as torchvision.
    case pytorch
    /// TensorFlow "SAME": output size ⌈size/stride⌉, the extra row/column at the bottom/right.
    case tensorFlowSame

    /// The padding of a convolution with a square `kernelSize` kernel.
    public func padding(kernelSize: Int, dilation: Int = 1) -> Padding2D {
        switch self {
        case .pytorch: .symmetric((kernelSize - 1) / 2 * dilation)
        case .tensorFlowSame: .same
        }
    }
}
