import Tensor

extension SerializationSupport {
    /// A restricted pickle machine: it rebuilds plain data (numbers, strings, tuples, lists,
    /// dicts, sets) and the few torch objects of a state dict, and refuses everything else.
    ///
    /// Python's `pickle` resolves any global it is given and calls it, which is why loading
    /// an untrusted `.pth` file with it runs arbitrary code. This machine never resolves a
    /// name: `GLOBAL` compares the name against ``PickleGlobal``'s short list and throws
    /// ``PyTorchCheckpointError/forbiddenGlobal(file:module:name:)`` for anything else, and
    /// `REDUCE` only "calls" those known functions by interpreting their arguments.
    ///
    /// Every read is bounds-checked through ``ByteReader`` (truncation throws
    /// `SerializationError.truncated`), memo indices are checked, popping past a MARK is an
    /// error as in CPython, and the stack size and nesting depth are capped. The machine is
    /// iterative, so no input can exhaust the call stack.
    struct Unpickler {
        /// The deepest MARK nesting and tuple nesting accepted. A state dict nests about five
        /// levels; Python's own pickler gives up near 1000.
        static let maximumNesting = 100
        /// The most values the stack may hold (a protocol-2 pickle batches 1000 items).
        static let maximumStackSize = 1 << 20
        /// The newest pickle protocol understood.
        static let highestProtocol = 5

        let reader: ByteReader
        /// The offset of the next opcode; after ``load()``, the offset just past `STOP`.
        private(set) var position: Int
        /// The offset of the opcode being executed, for error messages.
        private(set) var opcodeOffset = 0
        private var stack: [PickleValue] = []
        /// Stack heights at each open MARK.
        private var marks: [Int] = []
        private var memo: [Int: PickleValue] = [:]
        /// The arena of mutable containers that ``PickleValue`` refers to by index.
        private(set) var lists: [[PickleValue]] = []
        private(set) var dicts: [[(key: PickleValue, value: PickleValue)]] = []
        private(set) var sets: [[PickleValue]] = []
        /// The storages named by persistent ids, by key.
        var storages: [String: PickleStorage] = [:]
        /// The storage keys in order of first use.
        var storageOrder: [String] = []

        /// A machine reading the pickle that starts at `position` in `reader`'s bytes.
        init(reader: ByteReader, position: Int = 0) {
            self.reader = reader
            self.position = position
        }

        /// Runs the pickle up to its `STOP` opcode and returns the object it built.
        mutating func load() throws -> PickleValue {
            while true {
                opcodeOffset = position
                let byte = try readInteger(UInt8.self)
                guard let opcode = PickleOpcode(rawValue: byte) else {
                    throw PyTorchCheckpointError.unsupportedOpcode(file: reader.file, opcode: byte, offset: opcodeOffset)
                }
                if opcode == .stop { return try pop() }
                try execute(opcode)
            }
        }

        // MARK: - Opcodes

        private mutating func execute(_ opcode: PickleOpcode) throws {
            switch opcode {
            case .stop:
                preconditionFailure("STOP is handled by load()")
            case .proto:
                let version = try readInteger(UInt8.self)
                guard version <= Self.highestProtocol else {
                    throw SerializationError.unsupportedVersion(file: reader.file, version: "pickle protocol \(version)")
                }
            case .frame:
                // Frames only group opcodes for buffered reading; check the length and go on.
                let length = try readLength(UInt64.self)
                try reader.require(position, length)

            case .none: try push(.none)
            case .newTrue: try push(.bool(true))
            case .newFalse: try push(.bool(false))
            case .binInt: try push(.int(Int(Int32(bitPattern: try readInteger(UInt32.self)))))
            case .binInt1: try push(.int(Int(try readInteger(UInt8.self))))
            case .binInt2: try push(.int(Int(try readInteger(UInt16.self))))
            case .long1: try push(Self.integer(fromLittleEndian: try readBytes(Int(try readInteger(UInt8.self)))))
            case .long4: try push(Self.integer(fromLittleEndian: try readBytes(try readSignedLength())))
            case .binFloat:
                // The one big-endian field of the format.
                try push(.float(Double(bitPattern: UInt64(bigEndian: UInt64(littleEndian: try readInteger(UInt64.self))))))

            case .shortBinUnicode, .shortBinString: try push(.string(try readText(Int(try readInteger(UInt8.self)))))
            case .binUnicode: try push(.string(try readText(Int(try readInteger(UInt32.self)))))
            case .binString: try push(.string(try readText(try readSignedLength())))
            case .binUnicode8: try push(.string(try readText(try readLength(UInt64.self))))
            case .shortBinBytes: try push(.bytes(try readBytes(Int(try readInteger(UInt8.self)))))
            case .binBytes: try push(.bytes(try readBytes(Int(try readInteger(UInt32.self)))))
            case .binBytes8, .byteArray8: try push(.bytes(try readBytes(try readLength(UInt64.self))))

            case .mark:
                guard marks.count < Self.maximumNesting else { throw malformed("MARKs nested deeper than \(Self.maximumNesting)") }
                marks.append(stack.count)
            case .pop:
                // CPython: with the current frame empty, POP discards the frame instead.
                if stack.count > (marks.last ?? 0) { stack.removeLast() } else { _ = try popMark() }
            case .popMark: _ = try popMark()
            case .dup: try push(try top())

            case .emptyTuple: try push(tuple([]))
            case .tuple: try push(tuple(try popMark()))
            case .tuple1: try push(tuple(try pop(1)))
            case .tuple2: try push(tuple(try pop(2)))
            case .tuple3: try push(tuple(try pop(3)))
            case .emptyList: try push(newList([]))
            case .list: try push(newList(try popMark()))
            case .emptyDict: try push(newDict([]))
            case .dict: try push(newDict(try pairs(try popMark())))
            case .emptySet: try push(newSet([]))
            case .frozenSet: try push(newSet(try popMark()))
            case .append:
                let item = try pop()
                lists[try listIndex(of: try top(), for: "APPEND")].append(item)
            case .appends:
                let items = try popMark()
                lists[try listIndex(of: try top(), for: "APPENDS")].append(contentsOf: items)
            case .setItem:
                let value = try pop()
                let key = try pop()
                dicts[try dictIndex(of: try top(), for: "SETITEM")].append((key, value))
            case .setItems:
                let items = try pairs(try popMark())
                dicts[try dictIndex(of: try top(), for: "SETITEMS")].append(contentsOf: items)
            case .addItems:
                let items = try popMark()
                guard case let .set(index) = try top() else { throw malformed("ADDITEMS on a \(try top().typeName), not a set") }
                sets[index].append(contentsOf: items)

            case .binPut: memo[Int(try readInteger(UInt8.self))] = try top()
            case .longBinPut: memo[Int(try readInteger(UInt32.self))] = try top()
            case .memoize: memo[memo.count] = try top()
            case .binGet: try push(try memoized(Int(try readInteger(UInt8.self))))
            case .longBinGet: try push(try memoized(Int(try readInteger(UInt32.self))))

            case .global:
                let module = try readLine()
                try push(.global(try global(module: module, name: try readLine())))
            case .stackGlobal:
                let name = try pop()
                let module = try pop()
                guard let moduleText = module.text, let nameText = name.text else {
                    throw malformed("STACK_GLOBAL needs two strings, got \(module.typeName) and \(name.typeName)")
                }
                try push(.global(try global(module: moduleText, name: nameText)))
            case .reduce:
                let arguments = try pop()
                try push(try call(try pop(), arguments: arguments))
            case .newObject:
                let arguments = try pop()
                try push(try instantiate(try pop(), arguments: arguments, keywords: nil))
            case .newObjectEx:
                let keywords = try pop()
                let arguments = try pop()
                try push(try instantiate(try pop(), arguments: arguments, keywords: keywords))
            case .build:
                let state = try pop()
                try build(state: state, on: try top())
            case .binPersistentID:
                try push(try persistentLoad(try pop()))
            }
        }

        // MARK: - Stack

        private mutating func push(_ value: PickleValue) throws {
            guard stack.count < Self.maximumStackSize else { throw malformed("more than \(Self.maximumStackSize) values on the stack") }
            stack.append(value)
        }

        /// The top of the current frame (the values pushed since the last MARK).
        private func top() throws -> PickleValue {
            guard stack.count > (marks.last ?? 0) else { throw malformed("stack underflow") }
            return stack[stack.count - 1]
        }

        private mutating func pop() throws -> PickleValue {
            let value = try top()
            stack.removeLast()
            return value
        }

        /// The top `count` values of the current frame, bottom first.
        private mutating func pop(_ count: Int) throws -> [PickleValue] {
            guard stack.count - (marks.last ?? 0) >= count else { throw malformed("stack underflow") }
            defer { stack.removeLast(count) }
            return Array(stack.suffix(count))
        }

        /// The values pushed since the last MARK, which is closed.
        private mutating func popMark() throws -> [PickleValue] {
            guard let mark = marks.popLast() else { throw malformed("no MARK to pop to") }
            defer { stack.removeSubrange(mark...) }
            return Array(stack[mark...])
        }

        private func memoized(_ index: Int) throws -> PickleValue {
            guard let value = memo[index] else { throw malformed("memo index \(index) is not defined") }
            return value
        }

        // MARK: - Containers

        private func tuple(_ items: [PickleValue]) throws -> PickleValue {
            let tuple = PickleTuple(items)
            guard tuple.depth <= Self.maximumNesting else { throw malformed("tuples nested deeper than \(Self.maximumNesting)") }
            return .tuple(tuple)
        }

        mutating func newList(_ items: [PickleValue]) -> PickleValue {
            lists.append(items)
            return .list(lists.count - 1)
        }

        mutating func newDict(_ items: [(key: PickleValue, value: PickleValue)]) -> PickleValue {
            dicts.append(items)
            return .dict(dicts.count - 1)
        }

        private mutating func newSet(_ items: [PickleValue]) -> PickleValue {
            sets.append(items)
            return .set(sets.count - 1)
        }

        private func pairs(_ items: [PickleValue]) throws -> [(key: PickleValue, value: PickleValue)] {
            guard items.count.isMultiple(of: 2) else { throw malformed("odd number of items for a dict") }
            return stride(from: 0, to: items.count, by: 2).map { (items[$0], items[$0 + 1]) }
        }

        private func listIndex(of value: PickleValue, for opcode: String) throws -> Int {
            guard case let .list(index) = value else { throw malformed("\(opcode) on a \(value.typeName), not a list") }
            return index
        }

        private func dictIndex(of value: PickleValue, for opcode: String) throws -> Int {
            guard case let .dict(index) = value else { throw malformed("\(opcode) on a \(value.typeName), not a dict") }
            return index
        }

        // MARK: - Reading

        private mutating func readInteger<T: FixedWidthInteger & UnsignedInteger>(_: T.Type) throws -> T {
            let value = try reader.integer(T.self, at: position)
            position += MemoryLayout<T>.size
            return value
        }

        /// An unsigned length field, refused if it does not fit `Int`.
        private mutating func readLength<T: FixedWidthInteger & UnsignedInteger>(_: T.Type) throws -> Int {
            let value = try readInteger(T.self)
            guard let length = Int(exactly: value) else { throw malformed("length \(value) is out of range") }
            return length
        }

        /// A signed 32-bit length field (BINSTRING, LONG4), refused if negative.
        private mutating func readSignedLength() throws -> Int {
            let length = Int(Int32(bitPattern: try readInteger(UInt32.self)))
            guard length >= 0 else { throw malformed("negative length \(length)") }
            return length
        }

        private mutating func readBytes(_ count: Int) throws -> [UInt8] {
            let bytes = try reader.bytes(at: position, count: count)
            position += count
            return bytes
        }

        /// UTF-8 text (invalid sequences become U+FFFD: names are compared, never executed).
        private mutating func readText(_ count: Int) throws -> String {
            try reader.require(position, count)
            defer { position += count }
            return String(decoding: reader.bytes[position..<(position + count)], as: UTF8.self)
        }

        /// A newline-terminated line (the operands of GLOBAL), without the newline.
        private mutating func readLine() throws -> String {
            guard let newline = reader.bytes[position...].firstIndex(of: 0x0A) else {
                throw SerializationError.truncated(file: reader.file, expected: reader.bytes.count + 1, actual: reader.bytes.count)
            }
            defer { position = newline + 1 }
            return String(decoding: reader.bytes[position..<newline], as: UTF8.self)
        }

        /// The value of a little-endian two's-complement integer (LONG1, LONG4).
        static func integer(fromLittleEndian bytes: [UInt8]) -> PickleValue {
            var bytes = bytes
            // Drop redundant sign bytes so that equal numbers compare equal.
            while bytes.count > 1, let last = bytes.last {
                let signOfRest = bytes[bytes.count - 2] & 0x80
                guard (last == 0 && signOfRest == 0) || (last == 0xFF && signOfRest != 0) else { break }
                bytes.removeLast()
            }
            guard bytes.count <= 8 else { return .bigInt(bytes) }
            guard let last = bytes.last else { return .int(0) }
            var value: UInt64 = last & 0x80 == 0 ? 0 : ~0
            for byte in bytes.reversed() { value = value << 8 | UInt64(byte) }
            return .int(Int(Int64(bitPattern: value)))
        }

        /// A `malformedPickle` error at the current opcode.
        func malformed(_ reason: String) -> PyTorchCheckpointError {
            .malformedPickle(file: reader.file, offset: opcodeOffset, reason: reason)
        }
    }
}
