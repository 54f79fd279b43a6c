import Tensor

/// The metadata half of a ``ParameterOptimizer``'s state (the tensors are the other half).
struct OptimizerStateRecord<Rule: UpdateRule>: Codable {
    /// One group's hyperparameters and its parameters' update counts.
    struct GroupRecord: Codable {
        var hyperparameters: Rule
        var learningRateFactor: Float
        var parameterSteps: [Int]
    }

    var optimizer: String
    var stepCount: Int
    var learningRate: Float
    var groups: [GroupRecord]
}

extension ParameterOptimizer {
    /// The metadata key holding the optimizer's JSON.
    static var metadataKey: String { "optimizer" }
    /// The prefix of every state tensor name.
    static var tensorPrefix: String { "optimizer." }

    /// The name of state buffer `buffer` of parameter `parameter` in group `group`.
    static func tensorName(group: Int, parameter: Int, buffer: String) -> String {
        "\(tensorPrefix)group\(group).param\(parameter).\(buffer)"
    }

    /// The state buffers of every parameter updated at least once, one tensor per buffer with
    /// the parameter's shape.
    public func stateTensors() -> [String: Tensor] {
        var tensors: [String: Tensor] = [:]
        for (g, group) in groups.enumerated() {
            for (i, slot) in group.slots.enumerated() {
                guard slot.step > 0, let state = slot.state else { continue }
                let shape = slot.parameter.shape
                let count = state.scalarCount / max(group.rule.stateNames.count, 1)
                state.withUnsafeBufferPointer { source in
                    for (k, name) in group.rule.stateNames.enumerated() {
                        tensors[Self.tensorName(group: g, parameter: i, buffer: name)] = Tensor(shape: shape) { target in
                            guard count > 0 else { return }
                            target.baseAddress!.initialize(from: source.baseAddress! + k * count, count: count)
                        }
                    }
                }
            }
        }
        return tensors
    }

    /// The optimizer type, every group's hyperparameters and every parameter's update count,
    /// as JSON under `"optimizer"`.
    public func stateMetadata() -> [String: String] {
        let record = OptimizerStateRecord<Rule>(
            optimizer: typeName, stepCount: stepCount, learningRate: globalLearningRate,
            groups: groups.map { group in
                .init(hyperparameters: group.rule, learningRateFactor: group.learningRateFactor,
                      parameterSteps: group.slots.map(\.step))
            })
        return [Self.metadataKey: StateJSON.encode(record)]
    }

    /// Restores state saved by an optimizer of the same type over parameters of the same
    /// shapes, in the same groups and order; checks everything before changing anything.
    public func loadState(tensors: [String: Tensor], metadata: [String: String]) throws(OptimizerStateError) {
        let record = try StateJSON.decode(OptimizerStateRecord<Rule>.self, key: Self.metadataKey, in: metadata)
        guard record.optimizer == typeName else { throw .optimizerMismatch(expected: typeName, found: record.optimizer) }
        guard record.groups.count == groups.count else {
            throw .groupCountMismatch(expected: groups.count, found: record.groups.count)
        }
        var states: [[Tensor?]] = []
        var consumed = Set<String>()
        for (g, (group, saved)) in zip(groups, record.groups).enumerated() {
            guard saved.parameterSteps.count == group.slots.count else {
                throw .parameterCountMismatch(group: g, expected: group.slots.count, found: saved.parameterSteps.count)
            }
            let names = saved.hyperparameters.stateNames
            var groupStates: [Tensor?] = []
            for (i, (slot, steps)) in zip(group.slots, saved.parameterSteps).enumerated() {
                guard steps > 0, !names.isEmpty else {
                    groupStates.append(nil)
                    continue
                }
                var buffers: [Tensor] = []
                for name in names {
                    let key = Self.tensorName(group: g, parameter: i, buffer: name)
                    guard let tensor = tensors[key] else { throw .missingTensor(key: key) }
                    guard tensor.shape == slot.parameter.shape else {
                        throw .shapeMismatch(key: key, expected: slot.parameter.shape, found: tensor.shape)
                    }
                    buffers.append(tensor)
                    consumed.insert(key)
                }
                groupStates.append(Self.packed(buffers))
            }
            states.append(groupStates)
        }
        if let stray = tensors.keys.sorted().first(where: { $0.hasPrefix(Self.tensorPrefix) && !consumed.contains($0) }) {
            throw .unexpectedTensor(key: stray)
        }

        stepCount = record.stepCount
        globalLearningRate = record.learningRate
        for (g, saved) in record.groups.enumerated() {
            groups[g].rule = saved.hyperparameters
            groups[g].learningRateFactor = saved.learningRateFactor
            for (i, slot) in groups[g].slots.enumerated() {
                slot.step = saved.parameterSteps[i]
                slot.state = states[g][i]
            }
        }
    }

    /// Same-shaped buffers stored back to back in one tensor, the layout of ``ParameterSlot``.
    private static func packed(_ buffers: [Tensor]) -> Tensor {
        let count = buffers[0].scalarCount
        return Tensor(shape: [buffers.count * count]) { target in
            guard count > 0 else { return }
            for (k, buffer) in buffers.enumerated() {
                buffer.withUnsafeBufferPointer { (target.baseAddress! + k * count).initialize(from: $0.baseAddress!, count: count) }
            }
        }
    }
}
