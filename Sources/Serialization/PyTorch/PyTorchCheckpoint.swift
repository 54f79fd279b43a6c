#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Tensor

/// Reading PyTorch checkpoints (`torch.save` files: `.pth`, `.pt`, `.bin`) without Python,
/// and converting them to safetensors.
///
/// Both layouts `torch.save` has written are read:
/// - **zip** (the default since PyTorch 1.6): `<prefix>/data.pkl` holds the pickle,
///   `<prefix>/data/<key>` the raw bytes of each storage, plus `version` and `byteorder`;
/// - **legacy**: five pickles in a row (magic number, protocol version 1001, system info,
///   the object, the storage keys), then each storage as an 8-byte little-endian element
///   count followed by its bytes.
///
/// The pickle runs on a restricted unpickler that knows only the globals of a state dict
/// (`collections.OrderedDict`, `torch._utils._rebuild_tensor_v2` and friends, the typed
/// storage classes `torch.FloatStorage`...). Any other global (`os.system`,
/// `builtins.eval`...) is refused with ``PyTorchCheckpointError/forbiddenGlobal(file:module:name:)``
/// before anything could use it, so loading an untrusted checkpoint runs no code. Every
/// length, offset, size and stride is checked against the data before it is used.
///
/// **Names.** The result is flat: nested dicts, lists and tuples are joined with dots, so a
/// training checkpoint `{"model": {"fc.weight": w}, "epoch": 3}` gives `"model.fc.weight"`
/// (list and tuple items are named by index, integer keys by their decimal text). Leaves
/// that are not tensors (epoch counters, strings, hyper-parameters) are skipped; a file
/// holding a lone tensor gives it the name `""`. Tensors keep their PyTorch names and
/// layout (OIHW convolution weights), and every dtype is converted to Float32, including
/// the int64 `num_batches_tracked` counters of batch norm (drop them by name if unwanted).
///
/// ```swift
/// let weights = try PyTorchCheckpoint.read(from: url)          // [String: Tensor]
/// try PyTorchCheckpoint.convert(from: url, to: safetensorsURL)  // drops num_batches_tracked
/// ```
public enum PyTorchCheckpoint {
    /// The Float32 tensors of a checkpoint may take at most this many times the file's size
    /// (at least 64 MiB for small files): strides may legally overlap, and without a cap a
    /// tiny hostile file could describe a petabyte tensor. Real checkpoints stay far below
    /// (4× for int8 storages, 2× more where weights are tied).
    public static let maximumExpansion = 16

    /// The tensors of the checkpoint at `url`, by dotted name.
    ///
    /// - Throws: ``SerializationError`` for I/O and container problems (truncation, zip
    ///   directory, CRC, storage sizes and bounds), ``PyTorchCheckpointError`` for the pickle.
    public static func read(from url: URL) throws -> [String: Tensor] {
        try load(from: url).tensors
    }

    /// The tensors of the checkpoint held in `bytes`; `file` names it in errors.
    public static func read(bytes: [UInt8], file: String = "<memory>") throws -> [String: Tensor] {
        try decode(bytes, file: file).tensors
    }

    /// The checkpoint at `url`, with tensor order and original dtypes.
    public static func load(from url: URL) throws -> PyTorchCheckpointFile {
        try decode(SerializationSupport.BinaryFile.read(path: url.path), file: url.path)
    }

    /// Parses the bytes of a checkpoint; `file` names the source in errors.
    public static func decode(_ bytes: [UInt8], file: String = "<memory>") throws -> PyTorchCheckpointFile {
        let reader = SerializationSupport.ByteReader(bytes: bytes, file: file)
        let contents: Contents
        let format: PyTorchCheckpointFile.Format
        // torch.save's archives open with a local file header ("PK\u{3}\u{4}"); legacy files
        // with the PROTO opcode of their first pickle.
        let zipSignature: [UInt8] = [0x50, 0x4B, 0x03, 0x04]
        if bytes.first == 0x80 {
            (contents, format) = (try legacyContents(reader), .legacy)
        } else if bytes.starts(with: zipSignature) {
            (contents, format) = (try zipContents(reader), .zip)
        } else if bytes.count < zipSignature.count && zipSignature.starts(with: bytes) {
            throw SerializationError.truncated(file: file, expected: zipSignature.count, actual: bytes.count)
        } else {
            throw SerializationError.badMagic(file: file, format: "PyTorch checkpoint (zip or legacy)")
        }
        return try assemble(contents, format: format, file: file, fileSize: bytes.count)
    }

    /// Writes the tensors of the checkpoint at `source` to a safetensors file at
    /// `destination` (Float32, atomically), leaving out every tensor whose name, or last
    /// dotted component, is in `dropping`.
    ///
    /// - Returns: the names written, in checkpoint order.
    @discardableResult
    public static func convert(from source: URL, to destination: URL,
                               dropping: Set<String> = ["num_batches_tracked"],
                               metadata: [String: String] = [:]) throws -> [String] {
        let checkpoint = try load(from: source)
        let kept = checkpoint.names.filter { name in
            !dropping.contains(name) && !dropping.contains(String(name.split(separator: ".").last ?? ""))
        }
        var tensors: [String: Tensor] = [:]
        for name in kept { tensors[name] = checkpoint.tensors[name] }
        try SafeTensors.write(tensors, metadata: metadata, to: destination)
        return kept
    }
}

/// The tensors of a PyTorch checkpoint, converted to Float32.
public struct PyTorchCheckpointFile: Sendable {
    /// The two layouts of `torch.save`.
    public enum Format: String, Sendable {
        /// The zip archive written since PyTorch 1.6.
        case zip
        /// The pickles-then-storages stream written before.
        case legacy
    }

    /// Which layout the file used.
    public let format: Format
    /// The tensor names in the order the pickle lists them.
    public let names: [String]
    /// The tensors by name.
    public let tensors: [String: Tensor]
    /// The element type each tensor had in the file, before conversion to Float32.
    public let dtypes: [String: SerializedDType]

    /// The tensor called `name`, if present.
    public subscript(name: String) -> Tensor? { tensors[name] }
}
