/// A pretrained network that can be adapted to a new task: it exposes its first convolution
/// (which sees the image channels), its final classifier, and which of its parts form the head
/// that is trained first while the backbone stays frozen.
///
/// ``EfficientNetLite`` and ``MobileNetV2`` conform. See ``adapt(inputChannels:classCount:seed:)``,
/// ``freezeBackbone()`` and ``unfreezeBackbone()``.
public protocol FineTunable: Module {
    /// The first convolution.
    var stem: Conv2D { get set }
    /// The linear layer that produces the class logits.
    var classifierHead: Linear { get set }
    /// State-name prefixes of the head: the classifier and what acts on the pooled features
    /// before it (dropout). Everything else is the backbone.
    var headPrefixes: [String] { get }
}

extension EfficientNetLite: FineTunable {
    /// `_conv_stem`.
    public var stem: Conv2D {
        get { convStem }
        set { convStem = newValue }
    }

    /// `_fc`.
    public var classifierHead: Linear {
        get { fc }
        set { fc = newValue }
    }

    /// `_dropout` and `_fc`.
    public var headPrefixes: [String] { ["_dropout", "_fc"] }
}

extension MobileNetV2: FineTunable {
    /// `features.0.0`, the convolution of the stem.
    public var stem: Conv2D {
        get { stemBlock.layers[0] as! Conv2D }
        set { stemBlock.layers[0] = newValue }
    }

    /// `classifier.1`.
    public var classifierHead: Linear {
        get { classifier.layers[1] as! Linear }
        set { classifier.layers[1] = newValue }
    }

    /// `classifier` (dropout and the linear layer).
    public var headPrefixes: [String] { ["classifier"] }

    /// `features.0`: convolution, batch norm (unless folded), ReLU6.
    private var stemBlock: Sequential { features.layers[0] as! Sequential }
}
