// From the unpickled object to named Float32 tensors: flattening nested containers into
// dotted names, then checking each tensor's offset, sizes and strides against its storage
// before reading a byte of it.

import Tensor

extension PyTorchCheckpoint {
    /// Names and builds every tensor that `contents.root` holds.
    static func assemble(_ contents: Contents, format: PyTorchCheckpointFile.Format, file: String, fileSize: Int) throws -> PyTorchCheckpointFile {
        var collector = TensorCollector(unpickler: contents.unpickler, file: file, budget: 16 * contents.pickleLength + (1 << 16))
        try collector.collect(contents.root)

        let (allowance, overflow) = maximumExpansion.multipliedReportingOverflow(by: fileSize)
        var remainingBytes = overflow ? Int.max : max(allowance, 1 << 26)
        var tensors: [String: Tensor] = [:]
        var dtypes: [String: SerializedDType] = [:]
        for (name, tensor) in collector.found {
            guard let data = contents.storageData[tensor.storage.key] else {
                throw SerializationError.malformedHeader(file: file, reason: "tensor '\(name)' uses storage '\(tensor.storage.key)', which has no data")
            }
            tensors[name] = try makeTensor(tensor, name: name, data: data, file: file, remainingBytes: &remainingBytes)
            dtypes[name] = tensor.storage.dtype
        }
        return PyTorchCheckpointFile(format: format, names: collector.found.map(\.name), tensors: tensors, dtypes: dtypes)
    }

    /// Walks the unpickled object depth-first, naming each tensor by its dotted path.
    struct TensorCollector {
        let unpickler: SerializationSupport.Unpickler
        let file: String
        /// What may still be spent: one unit per value visited, one per byte of tensor name.
        /// Memoized containers can be shared, so a small pickle can describe an
        /// exponentially large tree (or one with very long names); a real one visits each
        /// value about once, and every value costs at least a byte of pickle.
        var budget: Int
        private(set) var found: [(name: String, tensor: SerializationSupport.PickleTensor)] = []
        private var names: Set<String> = []
        /// The dotted components of the value being visited.
        private var path: [String] = []

        init(unpickler: SerializationSupport.Unpickler, file: String, budget: Int) {
            (self.unpickler, self.file, self.budget) = (unpickler, file, budget)
        }

        mutating func collect(_ value: SerializationSupport.PickleValue) throws {
            try charge(1)
            guard path.count <= SerializationSupport.Unpickler.maximumNesting else {
                throw malformed("objects nest deeper than \(SerializationSupport.Unpickler.maximumNesting) levels at '\(pathDescription)'")
            }
            switch value {
            case let .tensor(tensor):
                let name = path.joined(separator: ".")
                try charge(name.utf8.count)
                guard names.insert(name).inserted else { throw malformed("two tensors are named '\(pathDescription)'") }
                found.append((name, tensor))
            case let .dict(index):
                for (key, item) in unpickler.dicts[index] {
                    switch key {
                    case let .string(text): try collect(item, under: text)
                    case let .int(number): try collect(item, under: String(number))
                    default:
                        // Keys that cannot be a name are fine on plain data, not above tensors.
                        switch item {
                        case .tensor, .dict, .list, .tuple:
                            throw malformed("a \(key.typeName) dictionary key under '\(pathDescription)' cannot name tensors")
                        default:
                            try charge(1)
                        }
                    }
                }
            case let .list(index):
                for (position, item) in unpickler.lists[index].enumerated() { try collect(item, under: String(position)) }
            case let .tuple(tuple):
                for (position, item) in tuple.items.enumerated() { try collect(item, under: String(position)) }
            default:
                break
            }
        }

        private mutating func collect(_ value: SerializationSupport.PickleValue, under component: String) throws {
            path.append(component)
            defer { path.removeLast() }
            try collect(value)
        }

        private mutating func charge(_ units: Int) throws {
            budget -= units
            guard budget >= 0 else { throw malformed("the pickle shares its containers too often, or names them too long, to walk (at '\(pathDescription)')") }
        }

        /// The current path for error messages, shortened: components can be long.
        private var pathDescription: String {
            let text = path.joined(separator: ".")
            return text.count <= 200 ? text : text.prefix(200) + "..."
        }

        private func malformed(_ reason: String) -> SerializationError { .malformedHeader(file: file, reason: reason) }
    }

    /// Builds tensor `name` from its storage bytes (`data`, the whole root storage).
    ///
    /// Checks, in order: as many strides as sizes, no negative size or stride, an element
    /// count that fits, the output within `remainingBytes`, and
    /// `offset + Σ (size − 1) · stride < numel` of the storage (or legacy storage view).
    static func makeTensor(_ tensor: SerializationSupport.PickleTensor, name: String, data: ArraySlice<UInt8>,
                           file: String, remainingBytes: inout Int) throws -> Tensor {
        let (shape, strides, storage) = (tensor.shape, tensor.strides, tensor.storage)
        let elementSize = storage.dtype.byteCount
        guard shape.count == strides.count, strides.allSatisfy({ $0 >= 0 }) else {
            throw SerializationError.malformedHeader(file: file, reason: "tensor '\(name)' has size \(shape) and stride \(strides)")
        }
        guard let (count, outputBytes) = SerializationSupport.elementCount(of: shape, byteCount: MemoryLayout<Float>.size) else {
            throw SerializationError.invalidShape(file: file, name: name, shape: shape)
        }
        guard outputBytes <= remainingBytes else {
            throw SerializationError.malformedHeader(file: file, reason: "tensor '\(name)' of size \(shape) would exceed "
                + "\(maximumExpansion)× the file size once converted (overlapping strides?)")
        }
        remainingBytes -= outputBytes
        if count == 0 { return Tensor(shape: shape) { _ in } }

        // The index of the last element, overflow-checked, must lie inside the storage view.
        var last = tensor.offset
        var fits = last >= 0
        for (size, stride) in zip(shape, strides) where fits {
            let (step, overflow) = (size - 1).multipliedReportingOverflow(by: stride)
            let (sum, overflow2) = last.addingReportingOverflow(step)
            (last, fits) = (sum, !overflow && !overflow2)
        }
        guard fits, last < storage.viewCount else {
            func bytes(_ elements: Int) -> Int {
                let (result, overflow) = elements.multipliedReportingOverflow(by: elementSize)
                return overflow ? Int.max : result
            }
            let (end, overflow) = last.addingReportingOverflow(1)
            throw SerializationError.offsetOutOfBounds(file: file, name: name, begin: bytes(tensor.offset),
                                                       end: fits && !overflow ? bytes(end) : Int.max,
                                                       bufferSize: bytes(storage.viewCount))
        }
        precondition(data.count == storage.count * elementSize, "PyTorchCheckpoint: storage data does not match its count")
        let start = storage.viewOffset + tensor.offset  // ≤ last + viewOffset < count: no overflow.

        return data.withUnsafeBytes { raw in
            if isContiguous(shape: shape, strides: strides) {
                let source = UnsafeRawBufferPointer(rebasing: raw[(start * elementSize)..<((start + count) * elementSize)])
                return Tensor(shape: shape) { storage.dtype.convert(source, toFloats: $0) }
            }
            let base = raw.baseAddress!  // Not empty: the view holds at least one element.
            if storage.dtype == .float32 {
                return Tensor(shape: shape) { output in
                    gather(base, start: start, shape: shape, strides: strides, elementSize: elementSize,
                           into: UnsafeMutableRawPointer(output.baseAddress!))
                }
            }
            let gathered = [UInt8](unsafeUninitializedCapacity: count * elementSize) { buffer, initialized in
                gather(base, start: start, shape: shape, strides: strides, elementSize: elementSize,
                       into: UnsafeMutableRawPointer(buffer.baseAddress!))
                initialized = count * elementSize
            }
            return gathered.withUnsafeBytes { source in
                Tensor(shape: shape) { storage.dtype.convert(source, toFloats: $0) }
            }
        }
    }

    /// Whether row-major elements are adjacent in memory (axes of size 1 have any stride).
    static func isContiguous(shape: [Int], strides: [Int]) -> Bool {
        var expected = 1
        for axis in shape.indices.reversed() where shape[axis] != 1 {
            guard strides[axis] == expected else { return false }
            expected *= shape[axis]
        }
        return true
    }

    /// Copies the elements of the strided view (`start`, `strides`, in elements of
    /// `elementSize` bytes) of `source`, row-major, to `target`. The caller checked the
    /// bounds. Checkpoints converted from TensorFlow store such views (EfficientNet-Lite0's
    /// convolution weights are HWIO memory behind OIHW strides).
    static func gather(_ source: UnsafeRawPointer, start: Int, shape: [Int], strides: [Int], elementSize: Int,
                       into target: UnsafeMutableRawPointer) {
        switch elementSize {
        case 1: gather(UInt8.self, source, start: start, shape: shape, strides: strides, into: target)
        case 2: gather(UInt16.self, source, start: start, shape: shape, strides: strides, into: target)
        case 4: gather(UInt32.self, source, start: start, shape: shape, strides: strides, into: target)
        default: gather(UInt64.self, source, start: start, shape: shape, strides: strides, into: target)
        }
    }

    /// The loop of ``gather(_:start:shape:strides:elementSize:into:)`` for one element width,
    /// over `StridedKernels`' row-major walk (file offsets need not be aligned).
    @inline(__always)
    private static func gather<Element: FixedWidthInteger>(_: Element.Type, _ source: UnsafeRawPointer, start: Int,
                                                            shape: [Int], strides: [Int], into target: UnsafeMutableRawPointer) {
        let size = MemoryLayout<Element>.size
        StridedKernels.forEachRun(shape: shape, offset: start, strides: strides) { dense, view, length, innerStride in
            var from = source + view * size
            let to = target + dense * size
            for index in 0..<length {
                to.storeBytes(of: from.loadUnaligned(as: Element.self), toByteOffset: index * size, as: Element.self)
                from += innerStride * size
            }
        }
    }
}
