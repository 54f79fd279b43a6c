/// What an exported ONNX model is called and carries besides the computation.
public struct ONNXExportOptions: Sendable {
    /// How the optional second output turns logits into probabilities.
    public enum Probabilities: Sendable, Equatable {
        /// `Softmax` over the classes (axis 1): a multi-class head, as Fathom's classifiers.
        case softmax
        /// `Sigmoid` of each logit: independent binary outputs.
        case sigmoid
    }

    /// The input's name (`image`).
    public var inputName: String
    /// The name of the model's output (`logits`).
    public var logitsName: String
    /// The second output's function, or `nil` for logits alone.
    public var probabilities: Probabilities?
    /// The second output's name (`probabilities`).
    public var probabilitiesName: String
    /// A calibration applied to the second output of a two-class model, or `nil`.
    public var calibration: ONNXBinaryCalibration?
    /// The symbolic name of the dynamic batch axis (`N`).
    public var batchDimensionName: String
    /// Key–value pairs for the model's `metadata_props` (preprocessing, classes, threshold, …).
    public var metadata: [String: String]
    /// The model's `doc_string`.
    public var documentation: String
    /// Views each image is scored on (see ``ONNXInputView``); empty for the image alone. With
    /// views, `probabilities` is the mean of the views' probabilities and `logits` those of the
    /// first view.
    public var inputViews: [ONNXInputView]

    /// Options; the defaults name the input `image` and the output `logits`, without probabilities.
    public init(inputName: String = "image", logitsName: String = "logits", probabilities: Probabilities? = nil,
                probabilitiesName: String = "probabilities", calibration: ONNXBinaryCalibration? = nil,
                batchDimensionName: String = "N", metadata: [String: String] = [:], documentation: String = "",
                inputViews: [ONNXInputView] = []) {
        self.inputName = inputName
        self.logitsName = logitsName
        self.probabilities = probabilities
        self.probabilitiesName = probabilitiesName
        self.calibration = calibration
        self.batchDimensionName = batchDimensionName
        self.metadata = metadata
        self.documentation = documentation
        self.inputViews = inputViews
    }
}
