// The two containers of `torch.save`: where the pickle is, and where each storage's bytes are.

import Tensor

extension PyTorchCheckpoint {
    /// What a container yields: the unpickled object (with the unpickler's arena, which the
    /// object's containers index) and the raw bytes of every storage it names.
    struct Contents {
        var root: SerializationSupport.PickleValue
        var unpickler: SerializationSupport.Unpickler
        /// Storage key → exactly `count × byteCount` bytes.
        var storageData: [String: ArraySlice<UInt8>]
        var pickleLength: Int
    }

    /// `0x1950a86a20f9469cfc6c`, the first pickle of a legacy file, little-endian.
    static let legacyMagic: [UInt8] = [0x6C, 0xFC, 0x9C, 0x46, 0xF9, 0x20, 0x6A, 0xA8, 0x50, 0x19]
    /// The protocol version of legacy files (the second pickle).
    static let legacyProtocolVersion = 1001
    /// The newest zip record version accepted (PyTorch 2.x writes 3; readers accept up to 10).
    static let maximumZipVersion = 10

    /// Reads a legacy stream: magic, protocol version, system info, object, storage keys,
    /// then the storages in the order of the keys.
    static func legacyContents(_ reader: SerializationSupport.ByteReader) throws -> Contents {
        let file = reader.file
        var position = 0
        func nextPickle() throws -> (SerializationSupport.PickleValue, SerializationSupport.Unpickler) {
            var unpickler = SerializationSupport.Unpickler(reader: reader, position: position)
            let value = try unpickler.load()
            position = unpickler.position
            return (value, unpickler)
        }
        guard case .bigInt(legacyMagic) = try nextPickle().0 else {
            throw SerializationError.badMagic(file: file, format: "PyTorch checkpoint (zip or legacy)")
        }
        let version = try nextPickle().0
        guard case .int(legacyProtocolVersion) = version else {
            throw SerializationError.unsupportedVersion(file: file, version: "legacy protocol \(describe(version))")
        }
        let (systemInfo, infoPickle) = try nextPickle()
        if case let .dict(index) = systemInfo, infoPickle.dicts[index].contains(where: {
            if case .string("little_endian") = $0.key, case .bool(false) = $0.value { return true }
            return false
        }) {
            throw SerializationError.unsupportedVersion(file: file, version: "big-endian legacy checkpoint")
        }
        let pickleStart = position
        let (root, main) = try nextPickle()
        let pickleLength = position - pickleStart
        let (keyList, keyPickle) = try nextPickle()
        guard case let .list(listIndex) = keyList else {
            throw SerializationError.malformedHeader(file: file, reason: "the storage key list is a \(keyList.typeName)")
        }

        var storageData: [String: ArraySlice<UInt8>] = [:]
        for keyValue in keyPickle.lists[listIndex] {
            guard let key = keyValue.text else {
                throw SerializationError.malformedHeader(file: file, reason: "a storage key is a \(keyValue.typeName)")
            }
            guard let storage = main.storages[key] else {
                throw SerializationError.malformedHeader(file: file, reason: "storage '\(key)' is listed but never used")
            }
            guard storageData[key] == nil else {
                throw SerializationError.malformedHeader(file: file, reason: "storage '\(key)' is listed twice")
            }
            let byteCount = storage.count * storage.dtype.byteCount  // No overflow: checked by the unpickler.
            let declared = Int(Int64(bitPattern: try reader.integer(UInt64.self, at: position)))
            guard declared == storage.count else {
                let (declaredBytes, overflow) = declared.multipliedReportingOverflow(by: storage.dtype.byteCount)
                throw SerializationError.sizeMismatch(file: file, name: "storage \(key)", expected: byteCount,
                                                      actual: overflow ? Int.max : declaredBytes)
            }
            try reader.require(position + 8, byteCount)
            storageData[key] = reader.bytes[(position + 8)..<(position + 8 + byteCount)]
            position += 8 + byteCount
        }
        for key in main.storageOrder where storageData[key] == nil {
            throw SerializationError.malformedHeader(file: file, reason: "storage '\(key)' has no data")
        }
        return Contents(root: root, unpickler: main, storageData: storageData, pickleLength: pickleLength)
    }

    /// Reads a zip checkpoint: `<prefix>/data.pkl`, `<prefix>/version`, the optional
    /// `<prefix>/byteorder`, and `<prefix>/data/<key>` for each storage the pickle names.
    static func zipContents(_ reader: SerializationSupport.ByteReader) throws -> Contents {
        let file = reader.file
        let entries = try SerializationSupport.ZipReader.entries(of: reader)
        // The prefix is the archive name torch.save chose ("archive", or the file's stem).
        guard let pickleEntry = entries.first(where: { entry in
            let parts = entry.name.split(separator: "/", omittingEmptySubsequences: false)
            return parts.count == 2 && parts[1] == "data.pkl"
        }) else {
            throw SerializationError.memberNotFound(file: file, member: "<archive>/data.pkl")
        }
        let prefix = String(pickleEntry.name.dropLast("data.pkl".count))
        var byName: [String: SerializationSupport.ZipEntry] = [:]
        for entry in entries { byName[entry.name] = entry }  // The last copy wins, as in zipfile.
        func member(_ name: String) throws -> [UInt8]? {
            try byName[prefix + name].map { try SerializationSupport.ZipReader.contents(of: $0, in: reader) }
        }

        guard let versionBytes = try member("version") ?? member(".data/version") else {
            throw SerializationError.memberNotFound(file: file, member: prefix + "version")
        }
        let versionText = String(decoding: versionBytes, as: UTF8.self).filter { !$0.isWhitespace }
        guard let version = Int(versionText), (1...maximumZipVersion).contains(version) else {
            throw SerializationError.unsupportedVersion(file: file, version: "zip record version '\(versionText.prefix(20))'")
        }
        if let order = try member("byteorder"), order != Array("little".utf8) {
            throw SerializationError.unsupportedVersion(file: file, version: "byteorder '\(String(decoding: order.prefix(20), as: UTF8.self))'")
        }

        let pickle = try SerializationSupport.ZipReader.contents(of: pickleEntry, in: reader)
        var unpickler = SerializationSupport.Unpickler(reader: SerializationSupport.ByteReader(bytes: pickle, file: "\(file):\(pickleEntry.name)"))
        let root = try unpickler.load()
        var storageData: [String: ArraySlice<UInt8>] = [:]
        for key in unpickler.storageOrder {
            guard let storage = unpickler.storages[key] else { continue }
            let name = prefix + "data/" + key
            guard let bytes = try member("data/" + key) else { throw SerializationError.memberNotFound(file: file, member: name) }
            let byteCount = storage.count * storage.dtype.byteCount  // No overflow: checked by the unpickler.
            guard bytes.count == byteCount else {
                throw SerializationError.sizeMismatch(file: file, name: name, expected: byteCount, actual: bytes.count)
            }
            storageData[key] = bytes[...]
        }
        return Contents(root: root, unpickler: unpickler, storageData: storageData, pickleLength: pickle.count)
    }

    /// A short rendering of a pickled value for error messages.
    private static func describe(_ value: SerializationSupport.PickleValue) -> String {
        if case let .int(number) = value { return String(number) }
        return value.typeName
    }
}
