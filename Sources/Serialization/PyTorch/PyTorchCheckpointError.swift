/// What went wrong inside the pickle of a PyTorch checkpoint.
///
/// Problems with the container (I/O, truncation, zip directory, CRC, storage sizes and
/// bounds) are reported as ``SerializationError``; this type covers what only a pickle can
/// get wrong. Every case names the file (`"model.pth"` for a legacy checkpoint,
/// `"model.pth:archive/data.pkl"` for the pickle inside a zip checkpoint) and, where it
/// applies, the byte offset of the offending opcode within that pickle.

import Tensor
public enum PyTorchCheckpointError: Error, Sendable, Equatable {
    /// The pickle names the global `module.name`, which is not one of the few a state dict
    /// needs. Nothing was looked up or called: the unpickler only ever compares names.
    case forbiddenGlobal(file: String, module: String, name: String)
    /// The pickle uses an opcode this reader does not implement (text-protocol opcodes,
    /// `INST`/`OBJ`, extension registry, out-of-band buffers...).
    case unsupportedOpcode(file: String, opcode: UInt8, offset: Int)
    /// The pickle is not well formed: stack underflow, undefined memo index, missing MARK,
    /// nesting too deep, or arguments of the wrong kind for a torch rebuild function.
    case malformedPickle(file: String, offset: Int, reason: String)
}

extension PyTorchCheckpointError: CustomStringConvertible {
    /// A one-line explanation that names the file and the problem.
    public var description: String {
        switch self {
        case let .forbiddenGlobal(file, module, name):
            return "\(file): refused to load global '\(module).\(name)': a checkpoint may only name the globals of a "
                + "state dict (collections.OrderedDict, torch._utils._rebuild_tensor_v2, torch.*Storage...); nothing was executed"
        case let .unsupportedOpcode(file, opcode, offset):
            let digits = String(opcode, radix: 16)
            let printable = (0x21...0x7E).contains(opcode) ? " ('\(Character(Unicode.Scalar(opcode)))')" : ""
            return "\(file): unsupported pickle opcode 0x\(digits.count < 2 ? "0" : "")\(digits)\(printable) at offset \(offset)"
        case let .malformedPickle(file, offset, reason):
            return "\(file): malformed pickle at offset \(offset): \(reason)"
        }
    }
}
