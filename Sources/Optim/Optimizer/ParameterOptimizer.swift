import Tensor

/// An ``Optimizer`` driven by an ``UpdateRule``: the shared machinery of ``SGD``, ``Adam``,
/// ``AdamW``, ``RMSProp`` and ``Adagrad`` (groups, skipping, lazily allocated state, the fused
/// parallel update, state saving).
///
/// It can also run a custom rule directly:
/// `ParameterOptimizer(parameters: model.parameters, defaults: MyRule(learningRate: 0.1))`.
public class ParameterOptimizer<Rule: UpdateRule>: Optimizer {
    /// One group: its rule (hyperparameters, including the current learning rate), the ratio
    /// of its rate to the optimizer's, and its parameters.
    struct Group {
        var rule: Rule
        var learningRateFactor: Float
        let slots: [ParameterSlot]
    }

    /// Parameters smaller than this are updated on one core: waking a second thread costs
    /// more than the work.
    static var minimumChunk: Int { 1 << 14 }

    var groups: [Group]
    /// The number of ``step()`` calls so far (the schedule position).
    public internal(set) var stepCount = 0
    var globalLearningRate: Float

    /// An optimizer over `parameters` (one group with the defaults, if not empty) followed by
    /// `groups` (each overriding the defaults where it says so).
    ///
    /// A parameter may appear only once.
    public init(parameters: [Parameter] = [], groups: [ParameterGroup] = [], defaults: Rule) {
        let allGroups = (parameters.isEmpty ? [] : [ParameterGroup(parameters: parameters)]) + groups
        var seen = Set<ObjectIdentifier>()
        for group in allGroups {
            for parameter in group.parameters {
                precondition(seen.insert(ObjectIdentifier(parameter)).inserted,
                             "\(Self.self): a parameter of shape \(parameter.shape) appears in more than one place")
            }
        }
        precondition(!seen.isEmpty, "\(Self.self): no parameters to optimize")
        self.globalLearningRate = defaults.learningRate
        self.groups = allGroups.map { group in
            var rule = defaults
            if let rate = group.learningRate { rule.learningRate = rate }
            if let decay = group.weightDecay { rule.weightDecay = decay }
            let factor = defaults.learningRate != 0 ? rule.learningRate / defaults.learningRate : 1
            return Group(rule: rule, learningRateFactor: factor, slots: group.parameters.map(ParameterSlot.init))
        }
    }

    /// The name recorded in the state metadata (the concrete class: `"AdamW"`, not `"Adam"`).
    var typeName: String { String(describing: type(of: self)) }

    /// The optimizer-wide learning rate; setting it rescales every group (see
    /// ``Optimizer/learningRate``).
    public var learningRate: Float {
        get { globalLearningRate }
        set {
            globalLearningRate = newValue
            for g in groups.indices { groups[g].rule.learningRate = newValue * groups[g].learningRateFactor }
        }
    }

    /// The number of parameter groups.
    public var groupCount: Int { groups.count }

    /// The learning rate that ``step()`` uses for group `group`.
    public func learningRate(ofGroup group: Int) -> Float { groups[group].rule.learningRate }

    /// Sets the learning rate of group `group` only.
    public func setLearningRate(_ rate: Float, ofGroup group: Int) { groups[group].rule.learningRate = rate }

    /// The hyperparameters of group `group`.
    public func hyperparameters(ofGroup group: Int) -> Rule { groups[group].rule }

    /// The parameters of group `group`.
    public func parameters(ofGroup group: Int) -> [Parameter] { groups[group].slots.map(\.parameter) }

    /// Applies one update to every trainable parameter that has a gradient; the others keep
    /// their values and their state.
    public func step() {
        stepCount += 1
        for group in groups {
            let stateCount = group.rule.stateNames.count
            for slot in group.slots {
                let parameter = slot.parameter
                guard parameter.requiresGradient, let gradient = parameter.grad else { continue }
                slot.step += 1
                slot.apply(group.rule, gradient: gradient, stateCount: stateCount, minimumChunk: Self.minimumChunk)
            }
        }
    }

    /// Drops the gradient of every parameter.
    public func zeroGradients() {
        for group in groups {
            for slot in group.slots { slot.parameter.zeroGradient() }
        }
    }
}

/// A parameter with its optimizer state: the update count and the state buffers, stored back
/// to back in one tensor so that the kernel gets a single pointer (allocated on first update,
/// like PyTorch's lazy state).
final class ParameterSlot {
    let parameter: Parameter
    var step = 0
    var state: Tensor?

    init(_ parameter: Parameter) { self.parameter = parameter }

    /// Runs `rule` over the parameter in one fused pass per element, split across cores.
    func apply<Rule: UpdateRule>(_ rule: Rule, gradient: Tensor, stateCount: Int, minimumChunk: Int) {
        let count = gradient.scalarCount
        if state == nil, stateCount > 0 {
            state = Tensor(shape: [stateCount * count]) { buffer in
                guard count > 0 else { return }
                for k in 0..<stateCount {
                    (buffer.baseAddress! + k * count).initialize(repeating: rule.initialStateValue(at: k), count: count)
                }
            }
        }
        guard count > 0 else { return }
        let step = step
        parameter.update { values in
            gradient.withUnsafeBufferPointer { grad in
                withStatePointer { statePointer in
                    let buffers = UpdateBuffers(parameter: values.baseAddress!, gradient: grad.baseAddress!,
                                                count: count, stateCount: stateCount, stateBase: statePointer)
                    Parallel.forEachChunk(count: count, minimumChunk: minimumChunk) { range in
                        rule.update(buffers, range: range, step: step)
                    }
                }
            }
        }
    }

    /// Calls `body` with the state buffers (in place, no copy), or `nil` when there are none.
    private func withStatePointer(_ body: (UnsafeMutablePointer<Float>?) -> Void) {
        if state == nil {
            body(nil)
        } else {
            state!.withUnsafeMutableBufferPointer { body($0.baseAddress) }
        }
    }
}
