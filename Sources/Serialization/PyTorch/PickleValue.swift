import Tensor

extension SerializationSupport {
    /// A Python object as the restricted unpickler rebuilds it: plain data, the few torch
    /// objects a state dict holds, and nothing that could run code.
    ///
    /// Lists, dicts and sets live in the unpickler's arena and are referred to by index:
    /// pickles mutate them after creating them (APPEND, SETITEMS on a memoized object), and
    /// indices cannot form reference cycles, so a hostile self-containing list neither leaks
    /// nor recurses when released. Tuples are immutable and nest inline; their depth is
    /// tracked so that no value nests deeper than ``Unpickler/maximumNesting``.
    enum PickleValue {
        case none
        case bool(Bool)
        case int(Int)
        /// An integer beyond `Int`: minimal little-endian two's-complement bytes.
        case bigInt([UInt8])
        case float(Double)
        case string(String)
        case bytes([UInt8])
        case tuple(PickleTuple)
        /// Index into ``Unpickler/lists``.
        case list(Int)
        /// Index into ``Unpickler/dicts`` (dicts and `OrderedDict`s alike).
        case dict(Int)
        /// Index into ``Unpickler/sets`` (sets and frozensets alike).
        case set(Int)
        case global(PickleGlobal)
        case storage(PickleStorage)
        case tensor(PickleTensor)

        /// How deeply the value nests inline (1 for everything but tuples).
        var depth: Int {
            if case let .tuple(tuple) = self { return tuple.depth }
            return 1
        }

        /// The Python type name, for error messages.
        var typeName: String {
            switch self {
            case .none: return "None"
            case .bool: return "bool"
            case .int, .bigInt: return "int"
            case .float: return "float"
            case .string: return "str"
            case .bytes: return "bytes"
            case .tuple: return "tuple"
            case .list: return "list"
            case .dict: return "dict"
            case .set: return "set"
            case let .global(global): return global.qualifiedName
            case .storage: return "storage"
            case .tensor: return "tensor"
            }
        }

        /// The text of a `str` (or of `bytes`, which Python 2 pickles use for names).
        var text: String? {
            switch self {
            case let .string(text): return text
            case let .bytes(bytes): return String(decoding: bytes, as: UTF8.self)
            default: return nil
            }
        }
    }

    /// An immutable tuple and its nesting depth.
    struct PickleTuple {
        let items: [PickleValue]
        /// 1 + the depth of the deepest item.
        let depth: Int

        init(_ items: [PickleValue]) {
            self.items = items
            self.depth = 1 + items.reduce(0) { max($0, $1.depth) }
        }
    }

    /// A storage named by a persistent id: `('storage', torch.FloatStorage, key, location,
    /// numel)` in zip checkpoints, with a sixth item `None` or `(view_key, offset, numel)`
    /// in legacy ones.
    struct PickleStorage: Equatable {
        /// The key of the root storage (`archive/data/<key>`, or the legacy storage key).
        var key: String
        var dtype: SerializedDType
        /// The element count of the root storage.
        var count: Int
        /// The elements of the root storage this (legacy view) storage covers.
        var viewOffset: Int
        var viewCount: Int
    }

    /// A tensor as `torch._utils._rebuild_tensor_v2` describes it. Nothing here is checked
    /// yet: ``PyTorchCheckpoint`` validates it against the storage when it builds the tensor,
    /// at which point the error can name the tensor.
    struct PickleTensor {
        var storage: PickleStorage
        /// In elements, from the start of the storage.
        var offset: Int
        var shape: [Int]
        /// In elements.
        var strides: [Int]
    }

    /// The only globals the unpickler accepts. Each is interpreted by the unpickler itself;
    /// no name is ever resolved to code.
    enum PickleGlobal: Equatable {
        case orderedDict
        case rebuildTensor
        case rebuildTensorV2
        case rebuildParameter
        case rebuildParameterWithState
        /// `torch.Size`, rebuilt as the tuple it wraps.
        case size
        /// `torch.device`, rebuilt as its description (`"cpu"`, `"cuda:0"`).
        case device
        /// A legacy typed storage class (`torch.FloatStorage`...), named by its dtype.
        case storageType(SerializedDType)

        /// The torch storage classes and the dtypes they hold.
        static let storageTypes: [String: SerializedDType] = [
            "DoubleStorage": .float64, "FloatStorage": .float32, "HalfStorage": .float16,
            "BFloat16Storage": .bfloat16, "LongStorage": .int64, "IntStorage": .int32,
            "ShortStorage": .int16, "CharStorage": .int8, "ByteStorage": .uint8, "BoolStorage": .bool,
        ]

        /// The allowed global `module.name`, or `nil` if it is not allowed.
        init?(module: String, name: String) {
            switch (module, name) {
            case ("collections", "OrderedDict"): self = .orderedDict
            case ("torch._utils", "_rebuild_tensor"): self = .rebuildTensor
            case ("torch._utils", "_rebuild_tensor_v2"): self = .rebuildTensorV2
            case ("torch._utils", "_rebuild_parameter"): self = .rebuildParameter
            case ("torch._utils", "_rebuild_parameter_with_state"): self = .rebuildParameterWithState
            case ("torch", "Size"): self = .size
            case ("torch", "device"): self = .device
            default:
                guard module == "torch", let dtype = Self.storageTypes[name] else { return nil }
                self = .storageType(dtype)
            }
        }

        /// The Python name, for error messages.
        var qualifiedName: String {
            switch self {
            case .orderedDict: return "collections.OrderedDict"
            case .rebuildTensor: return "torch._utils._rebuild_tensor"
            case .rebuildTensorV2: return "torch._utils._rebuild_tensor_v2"
            case .rebuildParameter: return "torch._utils._rebuild_parameter"
            case .rebuildParameterWithState: return "torch._utils._rebuild_parameter_with_state"
            case .size: return "torch.Size"
            case .device: return "torch.device"
            case let .storageType(dtype):
                return "torch." + (Self.storageTypes.first { $0.value == dtype }?.key ?? "Storage")
            }
        }
    }
}
