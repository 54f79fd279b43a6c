import Tensor

/// Updates a set of ``Parameter``s from their gradients (PyTorch's `torch.optim.Optimizer`).
///
/// A training step is `loss.backward()`, then ``step()``, then ``zeroGradients()``.
/// Parameters are organised in groups, each with its own hyperparameters (a pretrained
/// backbone at a lower learning rate than a new head); frozen parameters
/// (`requiresGradient == false`) and parameters without a gradient are skipped.
///
/// Everything a resumed run needs (moments, per-parameter step counts, the schedule position
/// ``stepCount``, the current hyperparameters) round-trips through ``stateTensors()``,
/// ``stateMetadata()`` and ``loadState(tensors:metadata:)``, so it can live in the same
/// safetensors file as the model.
public protocol Optimizer: AnyObject {
    /// The number of ``step()`` calls so far: the position to evaluate a
    /// ``LearningRateSchedule`` at.
    var stepCount: Int { get }

    /// The optimizer-wide learning rate.
    ///
    /// Setting it rescales every group: a group created with rate `r` while the optimizer's
    /// rate was `r0` gets `newValue * r / r0`, so a backbone at a tenth of the head's rate stays
    /// at a tenth while a schedule drives the whole optimizer. Reading it returns the last rate
    /// set this way (or given at construction).
    var learningRate: Float { get set }

    /// The number of parameter groups.
    var groupCount: Int { get }

    /// The learning rate that ``step()`` uses for group `group`.
    func learningRate(ofGroup group: Int) -> Float

    /// Sets the learning rate of one group only.
    func setLearningRate(_ rate: Float, ofGroup group: Int)

    /// Applies one update to every trainable parameter that has a gradient.
    func step()

    /// Drops the gradient of every parameter (PyTorch's `zero_grad(set_to_none=True)`).
    func zeroGradients()

    /// The per-parameter state buffers, named `optimizer.group<g>.param<i>.<buffer>` (for
    /// example `optimizer.group0.param3.exp_avg`), ready to be merged into a model checkpoint.
    func stateTensors() -> [String: Tensor]

    /// Everything else a resumed run needs (optimizer type, hyperparameters, step counts), as
    /// JSON under the key `"optimizer"`.
    func stateMetadata() -> [String: String]

    /// Restores the state saved by ``stateTensors()`` and ``stateMetadata()``, replacing the
    /// current state and hyperparameters. Tensors whose names do not start with `optimizer.`
    /// (the model's own weights) are ignored.
    ///
    /// Nothing changes when an error is thrown.
    ///
    /// - Throws: ``OptimizerStateError`` naming the missing, mis-shaped or unexpected entry.
    func loadState(tensors: [String: Tensor], metadata: [String: String]) throws(OptimizerStateError)
}
