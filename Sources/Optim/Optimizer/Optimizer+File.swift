#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Tensor
import Serialization

extension Optimizer {
    /// Writes the optimizer state to one safetensors file (state tensors, and the metadata as
    /// `__metadata__`), together with `tensors` (typically the model's state dictionary) and
    /// extra `metadata` (a scheduler's state, the epoch...), atomically.
    ///
    /// Names in `tensors` must not start with `optimizer.`, nor keys in `metadata` be
    /// `optimizer`: those belong to the optimizer.
    ///
    /// - Throws: `SerializationError` when the file cannot be written.
    public func saveState(to url: URL, including tensors: [String: Tensor] = [:],
                          metadata: [String: String] = [:]) throws {
        let contents = tensors.merging(stateTensors()) { _, _ in
            preconditionFailure("Optimizer.saveState: a model tensor name collides with the optimizer's 'optimizer.' names")
        }
        let allMetadata = metadata.merging(stateMetadata()) { _, _ in
            preconditionFailure("Optimizer.saveState: the metadata key 'optimizer' is reserved for the optimizer")
        }
        try SafeTensors.write(contents, metadata: allMetadata, to: url)
    }

    /// Restores the optimizer state from a file written by ``saveState(to:including:metadata:)``
    /// (or any safetensors file holding the same entries) and returns the whole file, so that
    /// the caller can restore the model and its own metadata from the same read.
    ///
    /// - Throws: `SerializationError` when the file cannot be read or parsed,
    ///   ``OptimizerStateError`` when it does not hold this optimizer's state.
    @discardableResult
    public func loadState(from url: URL) throws -> SafeTensorsFile {
        let file = try SafeTensors.read(from: url)
        try loadState(tensors: file.tensors, metadata: file.metadata)
        return file
    }
}
