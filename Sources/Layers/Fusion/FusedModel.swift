import Foundation
import Tensor

/// A model with its layers fused: the one place where Fathom's fusions are applied, as a
/// transform of a model whose `forward` stays the plain composition of its layers (PyTorch's
/// `torch.nn.utils.fusion`, planned automatically).
///
/// ```swift
/// let fused = FusedModel(model)
/// let logits = fused(images)        // same values as model(images), less memory, fewer passes
/// ```
///
/// What it fuses depends on the mode each layer is in (see ``FusionPlan``): in eval mode a
/// convolution with its batch norm and ReLU/ReLU6 (and a max pool after them, run a few images
/// at a time), and blocks whose inner maps are much larger than their input run a few images
/// at a time; in training mode a batch norm with the ReLU after it, which keeps less for the
/// backward pass. Results equal the unfused layers' (bit for bit in eval mode; in training to
/// rounding of the fused rule). Gradients flow as through the plain model.
///
/// The plan is made from one traced forward pass per image shape (batch size excluded) the
/// first time that shape is seen: a pass of one zero image under ``tracingGraph(_:)``, in eval mode
/// (each layer's mode is restored), so running statistics and dropout streams are untouched.
/// The model's `forward` must take the same path for every input of a shape, as for
/// `torch.jit.trace`. Replacing a sublayer after the first call is not seen: wrap the model
/// again.
///
/// Thread safety: as ``InferenceModel``, which wraps one; eval-mode forward passes may run on
/// many threads at once, planning is serialized.
public final class FusedModel<Model: Module>: @unchecked Sendable {
    /// The wrapped model.
    public let model: Model
    private let lock = NSLock()
    private var plans: [[Int]: FusionPlan] = [:]

    /// Wraps `model` (its mode is left as it is).
    public init(_ model: Model) {
        self.model = model
    }

    /// The model's output for `input`, with the fusions planned for its shape applied.
    public func callAsFunction(_ input: Tensor) -> Tensor {
        let run = FusedRun(plan: plan(forImageShape: Array(input.shape.dropFirst())))
        defer { run.finish() }
        return ModuleCalls.$hook.withValue(run) { model(input) }
    }

    /// What the transform fuses for inputs of `imageShape` (batch axis excluded), one line
    /// per fusion with the modules' state-dictionary names, e.g.
    /// `conv1 + bn1 + relu + maxpool, in batch chunks` (plans it if needed).
    public func plannedFusions(imageShape: [Int]) -> [String] {
        let names = Dictionary(model.namedModules().map { (ObjectIdentifier($0.module), $0.name) },
                               uniquingKeysWith: { first, _ in first })
        return plan(forImageShape: imageShape).descriptions(names: names)
    }

    /// The plan for inputs of `imageShape`, made on first use.
    func plan(forImageShape imageShape: [Int]) -> FusionPlan {
        lock.withLock {
            if let plan = plans[imageShape] { return plan }
            let plan = trace(imageShape: imageShape)
            // The traced pass's one-image buffers, cached, rarely fit the batch's sizes: handed
            // back rather than kept resident beside them.
            TensorMemory.releaseCachedBuffers()
            plans[imageShape] = plan
            return plan
        }
    }

    /// Traces one forward pass of a zero image in eval mode, and plans from it.
    private func trace(imageShape: [Int]) -> FusionPlan {
        let training = model.modules().filter(\.isTraining)
        for module in training { module.isTraining = false }  // only writes what changes: inference may run meanwhile
        defer { for module in training { module.isTraining = true } }
        let tracer = FusionTracer()
        let output = tracingGraph {
            ModuleCalls.$hook.withValue(tracer) { model(Tensor.zeros([1] + imageShape).requiringGradient()) }
        }
        return FusionPlan(calls: tracer.calls, output: output.gradNode)
    }
}

/// What lets a transform of a module return the module's own type (a class's methods cannot
/// return `InferenceModel<Self>`; a protocol extension can).
public protocol ModuleTransformable: AnyObject {}

extension Module: ModuleTransformable {}

extension ModuleTransformable where Self: Module {
    /// The model for inference with its layers fused: eval mode, no tape, and convolutions,
    /// batch norms and activations run as single ops (see ``FusedModel``).
    public func fusedForInference() -> InferenceModel<Self> {
        InferenceModel(self)
    }
}
