import Tensor

/// The base class of every layer and model: a function of one tensor that owns named
/// parameters, buffers and sublayers (PyTorch's `nn.Module`).
///
/// A subclass stores its parts as ordinary properties and overrides ``forward(_:)``; the
/// parts are found by reflection, so there is no registration boilerplate:
///
/// ```swift
/// final class ResidualBlock: Module {
///     let conv1: Conv2D, bn1: BatchNorm2D, conv2: Conv2D, bn2: BatchNorm2D
///
///     init(channels: Int, generator: inout RandomGenerator) {
///         conv1 = Conv2D(channels, channels, kernelSize: 3, padding: .same, bias: false, generator: &generator)
///         bn1 = BatchNorm2D(channels)
///         conv2 = Conv2D(channels, channels, kernelSize: 3, padding: .same, bias: false, generator: &generator)
///         bn2 = BatchNorm2D(channels)
///     }
///
///     override func forward(_ x: Tensor) -> Tensor {
///         (x + bn2(conv2(bn1(conv1(x)).relu()))).relu()
///     }
/// }
/// ```
///
/// Stored properties of type ``Parameter``, ``Buffer``, `Module`, and optionals, arrays (nested
/// too), tuples and `String`-keyed dictionaries of those become entries named after the
/// property in PyTorch's snake_case (`runningMean` → `running_mean`; array and tuple elements
/// are `name.0`, `name.1`, …, dictionary values `name.key` in key order, as `ModuleDict`),
/// nested with dots: `layer1.0.bn1.running_mean`. ``propertyKeys`` renames the exceptions.
/// Every element of a container is looked at, whatever the first holds. A part anywhere else —
/// in a set, a dictionary with other keys, a struct's field (a property wrapper's storage
/// too), an enum's payload — stops with a message naming the property at the first
/// reflection (``parameters``, ``stateDictionary()``, …) instead of being left out silently.
/// References to other classes are not entered.
///
/// A layer whose forward pass takes or returns more than one tensor (attention with a mask,
/// a model with two heads) is a `Module` subclass that also adopts ``Layer``.
///
/// Concurrency: a module is a mutable reference and not `Sendable`, so that subclasses need no
/// concurrency annotations. Forward passes in eval mode only read the model and may run on
/// many threads at once: wrap the model in an ``InferenceModel`` (which is `Sendable`) to
/// share it. Training, ``train(_:)``, ``eval()``, freezing, loading a state dictionary and
/// reassigning sublayers mutate the model and must not overlap with any other use of it.
open class Module {
    /// Whether the module is in training mode (batch statistics, active dropout).
    ///
    /// Set it for the whole tree with ``train(_:)`` or ``eval()``.
    public internal(set) var isTraining = true

    /// A module with no parts.
    public init() {}

    /// Computes the module's output. Subclasses override this; callers use
    /// ``callAsFunction(_:)``.
    open func forward(_ input: Tensor) -> Tensor {
        preconditionFailure("\(type(of: self)) must override forward(_:)")
    }

    /// Applies the module to `input`: runs ``forward(_:)`` (through the hook of an active
    /// ``summary(inputShape:)`` or ``FusedModel``, which record or fuse the call).
    public final func callAsFunction(_ input: consuming Tensor) -> Tensor {
        guard let hook = ModuleCalls.hook else { return forward(input) }
        return hook.call(self, with: input)
    }

    /// State-dictionary names for properties whose PyTorch name is not the snake_case of the
    /// Swift label, keyed by label. An empty name puts the property's entries directly in this
    /// module's namespace (``Sequential`` names its layers `0`, `1`, … that way).
    open class var propertyKeys: [String: String] { [:] }
}
