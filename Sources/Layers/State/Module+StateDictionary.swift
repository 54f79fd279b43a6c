import Tensor

// State dictionaries: a model's parameters and buffers as a flat name → tensor map, the
// currency of checkpoints and of pretrained weights from PyTorch.

extension Module {
    /// Every parameter and buffer by PyTorch-style name (`layer1.0.bn1.running_mean`),
    /// detached from the tape.
    public func stateDictionary() -> [String: Tensor] {
        var result: [String: Tensor] = [:]
        for (name, parameter) in namedParameters() { result[name] = parameter.value.detached() }
        for (name, buffer) in namedBuffers() { result[name] = buffer.value }
        return result
    }

    /// Copies the tensors of `dictionary` into the parameters and buffers of the same names.
    ///
    /// - Parameters:
    ///   - strict: when `true`, any missing, unexpected or mis-shaped name throws and nothing
    ///     is loaded; when `false`, the matching tensors are loaded and the rest reported.
    ///   - source: where the dictionary came from, for the error message.
    /// - Returns: what was loaded and what was not.
    /// - Throws: ``StateDictionaryError/incompatible(source:report:)`` in strict mode.
    @discardableResult
    public func loadStateDictionary(_ dictionary: [String: Tensor], strict: Bool = true,
                                    source: String = "<memory>") throws -> LoadReport {
        var report = LoadReport()
        var assignments: [() -> Void] = []
        var known = Set<String>()
        func match(_ name: String, shape: [Int], assign: @escaping (Tensor) -> Void) {
            known.insert(name)
            guard let tensor = dictionary[name] else {
                report.missing.append(name)
                return
            }
            guard tensor.shape == shape else {
                report.mismatched.append(.init(name: name, expected: shape, found: tensor.shape))
                return
            }
            report.loaded.append(name)
            assignments.append { assign(tensor) }
        }
        for (name, parameter) in namedParameters() {
            match(name, shape: parameter.shape) { parameter.value = $0 }
        }
        for (name, buffer) in namedBuffers() {
            match(name, shape: buffer.shape) { buffer.value = $0 }
        }
        for name in dictionary.keys.sorted() where !known.contains(name) {
            if name == "num_batches_tracked" || name.hasSuffix(".num_batches_tracked") {
                report.ignored.append(name)
            } else {
                report.unexpected.append(name)
            }
        }
        if strict && !report.isComplete {
            throw StateDictionaryError.incompatible(source: source, report: report)
        }
        for assign in assignments { assign() }
        return report
    }
}
