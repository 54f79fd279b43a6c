/// How a 2-D convolution pads the height and width of its input with zeros.
///
/// PyTorch's `padding=` integers are ``symmetric(_:)``; TensorFlow's `"SAME"` is ``same``,
/// which depends on the input size and may pad one more row or column on the bottom/right
/// (the stride-2 layers of EfficientNet and MobileNet need exactly that).
public enum Padding2D: Sendable, Equatable {
    /// Fixed amounts on each side.
    case explicit(top: Int, bottom: Int, left: Int, right: Int)
    /// TensorFlow "SAME": the output has `ceil(size / stride)` positions and the total padding
    /// `max((out − 1)·stride + (kernel − 1)·dilation + 1 − size, 0)` is split with the smaller
    /// half on top/left.
    case same

    /// The same amount on all four sides (PyTorch's `padding=p`).
    public static func symmetric(_ p: Int) -> Padding2D {
        .explicit(top: p, bottom: p, left: p, right: p)
    }

    /// `h` rows above and below, `w` columns left and right (PyTorch's `padding=(h, w)`).
    public static func symmetric(_ h: Int, _ w: Int) -> Padding2D {
        .explicit(top: h, bottom: h, left: w, right: w)
    }

    /// No padding (TensorFlow's "VALID", PyTorch's `padding=0`).
    public static let valid: Padding2D = .explicit(top: 0, bottom: 0, left: 0, right: 0)

    /// The concrete amounts for an input of `height`×`width` under the given kernel, stride
    /// and dilation.
    public func resolved(height: Int, width: Int, kernelSize: (Int, Int), stride: (Int, Int) = (1, 1),
                         dilation: (Int, Int) = (1, 1)) -> (top: Int, bottom: Int, left: Int, right: Int) {
        switch self {
        case let .explicit(top, bottom, left, right):
            precondition(top >= 0 && bottom >= 0 && left >= 0 && right >= 0,
                         "Padding2D: negative padding \(self)")
            return (top, bottom, left, right)
        case .same:
            let (top, bottom) = Self.sameAmounts(size: height, kernel: kernelSize.0, stride: stride.0, dilation: dilation.0)
            let (left, right) = Self.sameAmounts(size: width, kernel: kernelSize.1, stride: stride.1, dilation: dilation.1)
            return (top, bottom, left, right)
        }
    }

    /// TensorFlow's SAME split along one axis.
    static func sameAmounts(size: Int, kernel: Int, stride: Int, dilation: Int) -> (before: Int, after: Int) {
        precondition(stride > 0, "Padding2D.same: stride \(stride) must be positive")
        let out = (size + stride - 1) / stride
        let total = Swift.max((out - 1) * stride + (kernel - 1) * dilation + 1 - size, 0)
        return (total / 2, total - total / 2)
    }
}
