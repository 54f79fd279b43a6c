// What the restricted unpickler makes of torch's globals: each allowed "call" is interpreted
// here from its arguments; nothing is ever looked up by name or executed.

import Tensor

extension SerializationSupport.Unpickler {
    typealias PickleValue = SerializationSupport.PickleValue

    /// The allowed global `module.name`.
    ///
    /// - Throws: `SerializationError.unsupportedDType` for a torch storage class of a dtype
    ///   `Tensor` cannot hold (complex, quantized), `PyTorchCheckpointError.forbiddenGlobal`
    ///   for every other name.
    func global(module: String, name: String) throws -> SerializationSupport.PickleGlobal {
        if let global = SerializationSupport.PickleGlobal(module: module, name: name) { return global }
        if module == "torch" && name.hasSuffix("Storage") && !name.contains(".") {
            throw SerializationError.unsupportedDType(file: reader.file, dtype: "torch.\(name)")
        }
        throw PyTorchCheckpointError.forbiddenGlobal(file: reader.file, module: module, name: name)
    }

    /// REDUCE: `callable(*arguments)`, for the allowed callables only.
    mutating func call(_ callable: PickleValue, arguments: PickleValue) throws -> PickleValue {
        guard case let .global(function) = callable else {
            throw malformed("REDUCE calls a \(callable.typeName), not an allowed global")
        }
        guard case let .tuple(tuple) = arguments else {
            throw malformed("REDUCE passes \(function.qualifiedName) a \(arguments.typeName), not an argument tuple")
        }
        let items = tuple.items
        func expect(_ counts: ClosedRange<Int>) throws {
            guard counts.contains(items.count) else {
                throw malformed("\(function.qualifiedName) takes \(counts.lowerBound)...\(counts.upperBound) arguments, got \(items.count)")
            }
        }
        switch function {
        case .orderedDict:
            try expect(0...0)
            return newDict([])
        case .rebuildTensorV2:
            // (storage, offset, size, stride, requires_grad, backward_hooks[, metadata])
            try expect(6...7)
            return try rebuildTensor(items)
        case .rebuildTensor:
            try expect(4...4)
            return try rebuildTensor(items)
        case .rebuildParameter, .rebuildParameterWithState:
            // (data, requires_grad, backward_hooks[, state]): a Parameter is its tensor here.
            try expect(function == .rebuildParameter ? 3...3 : 4...4)
            guard case .tensor = items[0] else { throw malformed("\(function.qualifiedName) needs a tensor, got \(items[0].typeName)") }
            return items[0]
        case .size:
            try expect(1...1)
            guard case .tuple = items[0] else { throw malformed("torch.Size needs a tuple, got \(items[0].typeName)") }
            return items[0]
        case .device:
            try expect(1...2)
            guard let type = items[0].text else { throw malformed("torch.device needs a string, got \(items[0].typeName)") }
            if items.count == 2, case let .int(index) = items[1] { return .string("\(type):\(index)") }
            return .string(type)
        case .storageType:
            throw malformed("\(function.qualifiedName) can only appear in a persistent id")
        }
    }

    /// NEWOBJ / NEWOBJ_EX: `cls.__new__(cls, *arguments, **keywords)`; only `OrderedDict`.
    mutating func instantiate(_ cls: PickleValue, arguments: PickleValue, keywords: PickleValue?) throws -> PickleValue {
        guard case .global(.orderedDict) = cls else { throw malformed("cannot instantiate \(cls.typeName)") }
        guard case let .tuple(tuple) = arguments, tuple.items.isEmpty else {
            throw malformed("collections.OrderedDict.__new__ takes no arguments here")
        }
        if let keywords, case let .dict(index) = keywords, !dicts[index].isEmpty {
            throw malformed("collections.OrderedDict.__new__ takes no keyword arguments here")
        }
        return newDict([])
    }

    /// BUILD: sets the state of `target`. A state dict's `OrderedDict` carries `_metadata`
    /// (module versions) this way; that state is dropped, as it holds no tensors.
    func build(state: PickleValue, on target: PickleValue) throws {
        switch target {
        case .dict, .tensor: return
        default: throw malformed("BUILD on a \(target.typeName)")
        }
    }

    /// BINPERSID: torch's `persistent_load`, which only knows storages.
    mutating func persistentLoad(_ id: PickleValue) throws -> PickleValue {
        guard case let .tuple(tuple) = id, tuple.items.count == 5 || tuple.items.count == 6,
              tuple.items[0].text == "storage" else {
            throw malformed("persistent id is not a ('storage', type, key, location, numel) tuple")
        }
        let items = tuple.items
        guard case let .global(.storageType(dtype)) = items[1] else {
            throw malformed("persistent id names a \(items[1].typeName), not a torch storage type")
        }
        let key: String
        switch items[2] {
        case let .int(number): key = String(number)
        default:
            guard let text = items[2].text else { throw malformed("storage key is a \(items[2].typeName)") }
            key = text
        }
        guard items[3].text != nil else { throw malformed("storage location is a \(items[3].typeName), not a string") }
        guard case let .int(count) = items[4], count >= 0, !count.multipliedReportingOverflow(by: dtype.byteCount).overflow else {
            throw malformed("storage '\(key)' has an invalid element count (\(items[4].typeName))")
        }
        if let known = storages[key] {
            guard known.dtype == dtype, known.count == count else {
                throw malformed("storage '\(key)' is declared as \(known.count) \(known.dtype) and as \(count) \(dtype)")
            }
        } else {
            storages[key] = SerializationSupport.PickleStorage(key: key, dtype: dtype, count: count, viewOffset: 0, viewCount: count)
            storageOrder.append(key)
        }
        var storage = SerializationSupport.PickleStorage(key: key, dtype: dtype, count: count, viewOffset: 0, viewCount: count)
        // Legacy files add `None` or `(view_key, offset, numel)` for views of a storage.
        if items.count == 6 {
            switch items[5] {
            case .none:
                break
            case let .tuple(view):
                guard view.items.count == 3, case let .int(offset) = view.items[1], case let .int(viewCount) = view.items[2],
                      offset >= 0, viewCount >= 0, viewCount <= count - offset else {
                    throw malformed("storage '\(key)' has an invalid view")
                }
                (storage.viewOffset, storage.viewCount) = (offset, viewCount)
            default:
                throw malformed("storage '\(key)' has view metadata of type \(items[5].typeName)")
            }
        }
        return .storage(storage)
    }

    /// `_rebuild_tensor(storage, storage_offset, size, stride, ...)`, checked for kinds only.
    private func rebuildTensor(_ items: [PickleValue]) throws -> PickleValue {
        guard case let .storage(storage) = items[0] else { throw malformed("tensor storage is a \(items[0].typeName)") }
        guard case let .int(offset) = items[1] else { throw malformed("tensor offset is a \(items[1].typeName)") }
        return .tensor(SerializationSupport.PickleTensor(storage: storage, offset: offset,
                                                  shape: try integers(items[2], "size"), strides: try integers(items[3], "stride")))
    }

    private func integers(_ value: PickleValue, _ what: String) throws -> [Int] {
        guard case let .tuple(tuple) = value else { throw malformed("tensor \(what) is a \(value.typeName), not a tuple") }
        return try tuple.items.map { item in
            guard case let .int(number) = item else { throw malformed("tensor \(what) holds a \(item.typeName)") }
            return number
        }
    }
}
