/// The hyperparameters of one parameter group together with the elementwise update they
/// define: what distinguishes SGD from Adam. ``ParameterOptimizer`` does the rest (groups,
/// skipping, state allocation, parallel split, saving).
///
/// A rule is a value, so that each group holds its own copy and the state metadata can store
/// it as JSON.
public protocol UpdateRule: Codable, Sendable, Equatable {
    /// The step size.
    var learningRate: Float { get set }
    /// The weight decay coefficient (how it is applied is the rule's business).
    var weightDecay: Float { get set }
    /// The names of the per-parameter state buffers these settings need, in the order of
    /// ``UpdateBuffers/state(_:)`` (PyTorch's names: `exp_avg`, `momentum_buffer`...).
    var stateNames: [String] { get }
    /// The value state buffer `index` starts from (zero unless the rule says otherwise).
    func initialStateValue(at index: Int) -> Float
    /// Updates the elements `range` of one parameter in place, in a single fused pass over the
    /// parameter, its gradient and its state buffers.
    ///
    /// - Parameter step: the parameter's update count, including this one (1 on the first
    ///   update), for bias corrections and decays.
    func update(_ buffers: UpdateBuffers, range: Range<Int>, step: Int)
}

extension UpdateRule {
    /// State buffers start at zero by default.
    public func initialStateValue(at index: Int) -> Float { 0 }
}

/// Raw views of one parameter, its gradient and its state buffers, handed to
/// ``UpdateRule/update(_:range:step:)``.
///
/// The buffers are valid only during that call. Each chunk of a parallel update touches only
/// its own range, so the writes never overlap.
public struct UpdateBuffers {
    /// The parameter's scalars, written in place.
    public let parameter: UnsafeMutablePointer<Float>
    /// The gradient's scalars.
    public let gradient: UnsafePointer<Float>
    /// The number of scalars of the parameter (and of each state buffer).
    public let count: Int
    /// The number of state buffers (the length of ``UpdateRule/stateNames``).
    public let stateCount: Int
    /// The state buffers, stored back to back.
    let stateBase: UnsafeMutablePointer<Float>?

    /// State buffer `index` (in the order of ``UpdateRule/stateNames``).
    public func state(_ index: Int) -> UnsafeMutablePointer<Float> {
        guard let stateBase, index < stateCount else { preconditionFailure("UpdateBuffers.state(\(index)): the rule declared \(stateCount) state buffers") }
        return stateBase + index * count
    }
}
