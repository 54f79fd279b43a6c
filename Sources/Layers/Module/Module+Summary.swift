import Tensor

extension Module {
    /// Runs one forward pass on zeros of `inputShape` (batch axis included, e.g.
    /// `[1, 1, 128, 128]`) and tabulates every layer called: name, type, output shape and
    /// parameter count.
    ///
    /// The pass runs in eval mode without the tape, so running statistics and dropout streams
    /// are untouched; each layer's mode is restored afterwards.
    public func summary(inputShape: [Int]) -> ModelSummary {
        let named = namedModules()
        let names = Dictionary(named.map { (ObjectIdentifier($0.module), $0.name) }, uniquingKeysWith: { first, _ in first })
        let modes = named.map { ($0.module, $0.module.isTraining) }
        eval()
        defer { for (module, mode) in modes { module.isTraining = mode } }

        let recorder = CallRecorder()
        ModuleCalls.$hook.withValue(recorder) {
            withoutGradients { _ = self(Tensor.zeros(inputShape)) }
        }
        let rows = recorder.calls.dropFirst().map { call in
            ModelSummary.Row(
                name: names[ObjectIdentifier(call.module)] ?? "?",
                type: String(describing: type(of: call.module)),
                outputShape: call.outputShape,
                parameterCount: call.module.directParameterCount,
                depth: call.depth - 1)
        }
        return ModelSummary(inputShape: inputShape, rows: rows,
                            totalParameters: parameterCount, trainableParameters: trainableParameterCount)
    }

    /// The scalars in the parameters this module holds itself (not its sublayers').
    var directParameterCount: Int {
        directMembers().reduce(0) { total, entry in
            if case .parameter(let p) = entry.member { return total + Shape.count(of: p.shape) }
            return total
        }
    }
}
