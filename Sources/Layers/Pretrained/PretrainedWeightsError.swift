/// Why pretrained weights could not be loaded into a model. Nothing was loaded when one is
/// thrown.
public enum PretrainedWeightsError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file's tensor `tensor`, placed at the model's `parameter`, has shape `found` (in the
    /// model's layout, after any conversion) where the model expects `expected`.
    case shapeMismatch(file: String, tensor: String, parameter: String, expected: [Int], found: [Int])
    /// No pretrained recipe exists for zoo model `model` with weights in `layout`; `available`
    /// lists the combinations that do.
    case unsupportedModel(model: String, layout: PretrainedLayout, available: [String])

    /// A message naming the tensor and both shapes, or the model and the known recipes.
    public var description: String {
        switch self {
        case let .shapeMismatch(file, tensor, parameter, expected, found):
            let target = tensor == parameter ? "" : " (placed at \(parameter))"
            return "\(file): tensor '\(tensor)'\(target) has shape \(found), the model expects \(expected); nothing was loaded"
        case let .unsupportedModel(model, layout, available):
            return "no pretrained recipe for model '\(model)' with \(layout.rawValue) weights; available: "
                + available.joined(separator: ", ")
        }
    }
}
