/// Why a module could not be exported to ONNX or the file could not be written.
public enum ONNXExportError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The module of type `type` at state path `path` (`""` for the root) has no ONNX form;
    /// `reason` says what is missing.
    case unsupportedModule(type: String, path: String, reason: String)
    /// The input shape is not `[channels, height, width]` with positive sizes.
    case invalidInputShape([Int])
    /// Input view `index` (see ``ONNXInputView``) does not fit the input shape.
    case invalidInputView(index: Int, reason: String)
    /// The model's output is not `[N, classes]`, which scoring several views needs.
    case outputNotClassScores([Int])
    /// A calibration (``ONNXBinaryCalibration``) was given for a model whose probabilities are
    /// not two classes.
    case invalidCalibration(classes: [Int])
    /// The module at `path` got an input whose shape it cannot take.
    case shapeMismatch(path: String, expected: String, found: [Int])
    /// The serialized model exceeds protobuf's 2 GiB message limit (`bytes` would be written;
    /// ONNX's external-data form is not written by this exporter).
    case modelTooLarge(bytes: Int)
    /// The file at `path` could not be written.
    case io(path: String, reason: String)

    /// A message naming the module (type and state path), the shape or the file.
    public var description: String {
        switch self {
        case let .unsupportedModule(type, path, reason):
            "cannot export \(type) at '\(path.isEmpty ? "<root>" : path)' to ONNX: \(reason)"
        case let .invalidInputShape(shape):
            "ONNX export needs an input shape [channels, height, width] of positive sizes, got \(shape)"
        case let .invalidInputView(index, reason):
            "ONNX export: input view \(index): \(reason)"
        case let .outputNotClassScores(shape):
            "ONNX export: scoring several input views needs an output [N, classes], the model gives [N] + \(shape)"
        case let .invalidCalibration(classes):
            "ONNX export: a binary calibration needs probabilities [N, 2], the model gives [N] + \(classes)"
        case let .shapeMismatch(path, expected, found):
            "ONNX export: the module at '\(path.isEmpty ? "<root>" : path)' expects \(expected), got an input of shape [N] + \(found)"
        case let .modelTooLarge(bytes):
            "ONNX export: the model is \(bytes) bytes, over protobuf's 2 GiB limit for one file"
        case let .io(path, reason):
            "cannot write \(path): \(reason)"
        }
    }
}
