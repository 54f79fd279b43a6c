import Foundation

/// `body(input)`, computed without keeping its intermediate results: the backward pass runs
/// `body` again, on the saved `input`, and differentiates that replay (activation
/// checkpointing, PyTorch's `torch.utils.checkpoint`).
///
/// The tape normally holds every tensor a gradient rule will read until `backward()`; for a
/// network's first layers at full resolution those are the largest tensors of a training step.
/// Inside `checkpoint` nothing is recorded: only `input` is kept, and the memory of the
/// region's intermediate results is freed as the forward pass goes. The price is a second
/// forward pass through `body` during backward, so it pays where activations are large and
/// cheap to compute (ResNet's stem: half of its training memory at 224 px, under 1 % of its
/// multiply–adds).
///
/// Gradients flow to `input` (when it requires them) and to every trainable ``Parameter``
/// that `body` reads, exactly as without checkpointing, provided `body` computes the same
/// function both times. Modules keep that promise through ``Recomputation``: batch norm
/// updates its running statistics in the first pass only, and dropout replays its masks.
/// Intermediate results inside `body` are not reachable by
/// ``Tensor/gradients(withRespectTo:seed:)``.
///
/// Outside a recording scope (inference, `withoutGradients`) this is simply `body(input)`.
public func checkpoint(_ input: Tensor, _ body: @escaping (Tensor) -> Tensor) -> Tensor {
    guard GradientMode.isEnabled else { return body(input) }
    let forward = Recomputation(phase: .forward)
    let output = Recomputation.$current.withValue(forward) { withoutGradients { body(input.detached()) } }
    guard input.requiresGradient || forward.readTrainableParameter else { return output }

    var result = output.detached()
    let saved = input.detached()
    let inputNeedsGradient = input.requiresGradient
    result.gradNode = GradNode(op: "checkpoint", shape: output.shape, inputs: [input.gradNode]) { gradient, visitLeaf in
        let replayInput = inputNeedsGradient ? saved.requiringGradient() : saved
        let replay = forward.replay()
        let replayed = Recomputation.$current.withValue(replay) {
            GradientMode.$recording.withValue(true) { body(replayInput) }
        }
        precondition(replayed.shape == output.shape && replayed.requiresGradient,
                     "checkpoint: the replay of the region returned shape \(replayed.shape) "
                         + "(first pass: \(output.shape)) \(replayed.requiresGradient ? "" : "without gradient history")")
        var inputGradient: Tensor?
        replayed.propagate(seed: gradient, op: "checkpoint") { leaf, leafGradient in
            if leaf === replayInput.gradNode { inputGradient = leafGradient } else { visitLeaf(leaf, leafGradient) }
        }
        return [inputGradient]
    }
    return result
}

/// The pass of a ``checkpoint(_:_:)`` region that is running, for the modules inside that
/// must behave the same in both passes or only once.
///
/// Batch norm asks ``isReplay`` to update its running statistics once; dropout draws its
/// masks through ``replayedState(for:_:)`` so that the replay drops the same units.
public final class Recomputation: @unchecked Sendable {
    /// The first pass (forward, nothing recorded) or its replay (during backward, recorded).
    public enum Phase: Sendable {
        case forward, replay
    }

    /// The region being computed on this task, if any.
    @TaskLocal public static var current: Recomputation?

    /// Whether the calling code runs inside the replay of a checkpointed region.
    public static var isReplay: Bool { current?.phase == .replay }

    /// Which pass this is.
    public let phase: Phase
    /// States saved by the first pass, per owner, in call order; shared with the replay.
    private let states: StateLog
    private let lock = NSLock()
    // Guarded by `lock` (modules inside a region may run on several threads):
    /// How many states each owner has taken back so far in this replay.
    private var replayPositions: [ObjectIdentifier: Int] = [:]
    private var readsTrainableParameter = false

    /// Whether the first pass read a parameter that requires a gradient (then the region's
    /// output needs a gradient even when its input does not).
    var readTrainableParameter: Bool { lock.withLock { readsTrainableParameter } }

    init(phase: Phase, states: StateLog = StateLog()) {
        self.phase = phase
        self.states = states
    }

    /// A replay of this first pass, sharing its saved states.
    func replay() -> Recomputation { Recomputation(phase: .replay, states: states) }

    /// Called by ``Parameter/value`` for trainable parameters.
    func noteTrainableParameterRead() {
        if phase == .forward { lock.withLock { readsTrainableParameter = true } }
    }

    /// In the first pass, saves `state` for `owner` and returns it; in the replay, returns what
    /// the first pass saved at the same call of the same owner.
    ///
    /// Dropout passes its random generator before drawing a mask and draws from what comes
    /// back: the replay draws the same mask, and only the first pass advances the generator.
    public func replayedState<State>(for owner: AnyObject, _ state: State) -> State {
        let key = ObjectIdentifier(owner)
        switch phase {
        case .forward:
            states.append(state, for: key)
            return state
        case .replay:
            let position = lock.withLock {
                defer { replayPositions[key, default: 0] += 1 }
                return replayPositions[key, default: 0]
            }
            guard let saved = states.state(at: position, for: key) as? State else {
                preconditionFailure("checkpoint: the replay made more calls of a stateful module than the first pass")
            }
            return saved
        }
    }

    /// The states saved by a first pass (a class, so that the replay reads what the first pass wrote).
    final class StateLog: @unchecked Sendable {
        private let lock = NSLock()
        private var states: [ObjectIdentifier: [Any]] = [:]  // guarded by `lock`
        func append(_ state: Any, for key: ObjectIdentifier) { lock.withLock { states[key, default: []].append(state) } }
        func state(at position: Int, for key: ObjectIdentifier) -> Any? {
            lock.withLock {
                guard let saved = states[key], position < saved.count else { return nil }
                return saved[position]
            }
        }
    }
}
