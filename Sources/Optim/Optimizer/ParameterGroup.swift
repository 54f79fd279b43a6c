import Tensor

/// Parameters that share hyperparameters inside one optimizer (PyTorch's param groups).
///
/// Unset values fall back to the optimizer's defaults:
///
/// ```swift
/// let optimizer = AdamW(groups: [
///     ParameterGroup(parameters: backbone, learningRate: 1e-5),
///     ParameterGroup(parameters: head),
/// ], learningRate: 1e-3)
/// ```
public struct ParameterGroup: Sendable {
    /// The parameters of the group.
    public var parameters: [Parameter]
    /// The group's learning rate, or `nil` for the optimizer's.
    public var learningRate: Float?
    /// The group's weight decay, or `nil` for the optimizer's (`0` typically exempts biases
    /// and normalization parameters).
    public var weightDecay: Float?

    /// A group of `parameters` with optional overrides of the optimizer's defaults.
    public init(parameters: [Parameter], learningRate: Float? = nil, weightDecay: Float? = nil) {
        self.parameters = parameters
        self.learningRate = learningRate
        self.weightDecay = weightDecay
    }
}
