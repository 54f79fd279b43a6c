import Foundation
import Serialization
import Tensor

// Checkpoints as safetensors files: the format PyTorch, MLX and Hugging Face share.

extension Module {
    /// Writes the ``stateDictionary()`` and `metadata` to a safetensors file at `url`
    /// (atomically: a crash never leaves a half-written checkpoint).
    /// - Throws: `SerializationError` when the file cannot be written.
    public func save(to url: URL, metadata: [String: String] = [:]) throws {
        try SafeTensors.write(stateDictionary(), metadata: metadata, to: url)
    }

    /// Loads the safetensors file at `url` into the model by name (see
    /// ``loadStateDictionary(_:strict:source:)``).
    /// - Throws: `SerializationError` when the file is unreadable or malformed;
    ///   ``StateDictionaryError`` when `strict` and the names or shapes do not match.
    @discardableResult
    public func load(from url: URL, strict: Bool = true) throws -> LoadReport {
        let file = try SafeTensors.read(from: url)
        return try loadStateDictionary(file.tensors, strict: strict, source: url.path)
    }
}
