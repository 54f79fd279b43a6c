import Tensor

/// A module whose forward pass takes or returns something other than one tensor: an attention
/// block with a mask, a model with two heads.
///
/// A multi-input layer is still a ``Module`` subclass — its parameters, buffers and sublayers are
/// found by the same reflection, wherever it is stored, and ``namedParameters()``,
/// ``stateDictionary()``, ``loadStateDictionary(_:strict:source:)``, ``train(_:)``/``eval()``
/// and ``freeze(prefix:)`` work on it and on any model holding it exactly as for a one-tensor
/// layer. It adopts `Layer`, names its input and output types (a labelled tuple for several
/// tensors) and writes ``forward(_:)`` for them; callers use ``callAsFunction(_:)``:
///
/// ```swift
/// final class MaskedAttention: Module, Layer {
///     typealias Input = (x: Tensor, mask: Tensor)
///     typealias Output = Tensor
///     let query: Linear, key: Linear, value: Linear
///     …
///     func forward(_ input: Input) -> Tensor {
///         let scores = Tensor.matmul(query(input.x), key(input.x), transposingB: true)
///         …
///     }
/// }
/// let y = attention((x: tokens, mask: causal))
/// ```
///
/// The `typealias`es are required: ``Module/forward(_:)`` (tensor to tensor), which every
/// subclass inherits, would otherwise match the requirement too and the conformance is
/// ambiguous. A layer may add a call with separate arguments, e.g.
/// `func callAsFunction(_ x: Tensor, mask: Tensor) -> Tensor { self((x, mask)) }`.
///
/// Why a protocol beside `Module`, not a generic `Module<Input, Output>`: the one-tensor
/// `Module` keeps its name, its non-generic `[Module]` arrays and `Sequential`, and every
/// existing layer, model and checkpoint stays as it is, while the state machinery stays in one
/// non-generic base class that both kinds share — as MLX-Swift keeps `Module` apart from
/// `UnaryLayer` and lets a layer declare the `callAsFunction` it needs, and as PyTorch's
/// `Module.forward` takes whatever arguments a layer declares. The associated types keep the
/// call typed (no `[Tensor]` to unpack by position) and allow generic code over
/// `some Layer<Input, Output>` and storage as `any Layer<Input, Output>`.
public protocol Layer<Input, Output>: Module {
    /// What the forward pass takes: a tensor, a tuple of tensors, or any other value.
    associatedtype Input
    /// What the forward pass returns.
    associatedtype Output

    /// Computes the layer's output. Callers use ``callAsFunction(_:)``.
    func forward(_ input: Input) -> Output
}

extension Layer {
    /// Applies the layer to `input`: runs ``forward(_:)`` and, inside a model's
    /// ``Module/summary(inputShape:)``, reports the call with the shape of the first tensor of its
    /// output, as a one-tensor module's call is reported.
    public func callAsFunction(_ input: Input) -> Output {
        // Only the summary's hook sees the call (the fusion transform fuses the one-tensor
        // modules inside it, whose calls still reach the hook).
        guard let recorder = ModuleCalls.hook as? CallRecorder else { return forward(input) }
        let entry = recorder.begin(self)
        let output = forward(input)
        recorder.end(entry, outputShape: Self.firstTensorShape(in: output) ?? [])
        return output
    }

    /// The shape of `value` if it is a tensor, else of the first tensor among its elements
    /// (tuples, arrays, optionals), depth first.
    private static func firstTensorShape(in value: Any) -> [Int]? {
        if let tensor = value as? Tensor { return tensor.shape }
        let mirror = Mirror(reflecting: value)
        guard [.tuple, .collection, .optional].contains(mirror.displayStyle) else { return nil }
        for child in mirror.children {
            if let shape = firstTensorShape(in: child.value) { return shape }
        }
        return nil
    }
}
