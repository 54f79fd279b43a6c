import Foundation
import Serialization
import Tensor
import Testing

/// `.npz` archives written by NumPy 2.4 for
/// `a = np.array([[1, 2], [3, -4.5]], '<f4')`, `b = np.array([0, 7, 255], 'u1')`,
/// `labels = np.array([[0], [1], [1]], '<i8')`, embedded as base64.
enum NPZFixtures {
    /// `np.savez(f, a=a, b=b, labels=labels)`: stored members with ZIP64 local headers.
    static let stored = "UEsDBC0AAAAAAAAAIQA/alrS//////////8FABQAYS5ucHkBABAAkAAAAAAAAACQAAAAAAAAAJNOVU1QWQEAdgB7J2Rlc2NyJzogJzxmNCcsICdmb3J0cmFuX29yZGVyJzogRmFsc2UsICdzaGFwZSc6ICgyLCAyKSwgfSAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAKAACAPwAAAEAAAEBAAACQwFBLAwQtAAAAAAAAACEAb8Mwef//////////BQAUAGIubnB5AQAQAIMAAAAAAAAAgwAAAAAAAACTTlVNUFkBAHYAeydkZXNjcic6ICd8dTEnLCAnZm9ydHJhbl9vcmRlcic6IEZhbHNlLCAnc2hhcGUnOiAoMywpLCB9ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgCgAH/1BLAwQtAAAAAAAAACEAennHwv//////////CgAUAGxhYmVscy5ucHkBABAAmAAAAAAAAACYAAAAAAAAAJNOVU1QWQEAdgB7J2Rlc2NyJzogJzxpOCcsICdmb3J0cmFuX29yZGVyJzogRmFsc2UsICdzaGFwZSc6ICgzLCAxKSwgfSAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAKAAAAAAAAAAABAAAAAAAAAAEAAAAAAAAAUEsBAi0DLQAAAAAAAAAhAD9qWtKQAAAAkAAAAAUAAAAAAAAAAAAAAIABAAAAAGEubnB5UEsBAi0DLQAAAAAAAAAhAG/DMHmDAAAAgwAAAAUAAAAAAAAAAAAAAIABxwAAAGIubnB5UEsBAi0DLQAAAAAAAAAhAHp5x8KYAAAAmAAAAAoAAAAAAAAAAAAAAIABgQEAAGxhYmVscy5ucHlQSwUGAAAAAAMAAwCeAAAAVQIAAAAA"
    /// `np.savez_compressed(f, a=a, b=b, labels=labels)`: deflated members.
    static let deflated = "UEsDBC0AAAAIAAAAIQA/alrS//////////8FABQAYS5ucHkBABAAkAAAAAAAAABTAAAAAAAAAJvsF+obEMnIUMZQrZ6SWpxcpG6loG6TZqKuo6Cell9UUpSYF59flJIKEndLzClOBYoXZyQWpAL5GkY6CkaaOgq1CmQDLgaGBnsGBgYHIALiCQcAUEsDBC0AAAAIAAAAIQBvwzB5//////////8FABQAYi5ucHkBABAAgwAAAAAAAABHAAAAAAAAAJvsF+obEMnIUMZQrZ6SWpxcpG6loF5Taqiuo6Cell9UUpSYF59flJIKEndLzClOBYoXZyQWpAL5GsY6mjoKtQoUAC4G9v8AUEsDBC0AAAAIAAAAIQB6ecfC//////////8KABQAbGFiZWxzLm5weQEAEACYAAAAAAAAAEsAAAAAAAAAm+wX6hsQychQxlCtnpJanFykbqWgbpNpoa6joJ6WX1RSlJgXn1+UkgoSd0vMKU4FihdnJBakAvkaxjoKhpo6CrUKZAMuBihgRKMBUEsBAi0DLQAAAAgAAAAhAD9qWtJTAAAAkAAAAAUAAAAAAAAAAAAAAIABAAAAAGEubnB5UEsBAi0DLQAAAAgAAAAhAG/DMHlHAAAAgwAAAAUAAAAAAAAAAAAAAIABigAAAGIubnB5UEsBAi0DLQAAAAgAAAAhAHp5x8JLAAAAmAAAAAoAAAAAAAAAAAAAAIABCAEAAGxhYmVscy5ucHlQSwUGAAAAAAMAAwCeAAAAjwEAAAAA"
    /// `np.savez_compressed(f, a=a, b=b)` with `zipfile.ZIP64_LIMIT = 10`: ZIP64 central
    /// directory extras and a ZIP64 end record.
    static let zip64 = "UEsDBC0AAAAIAAAAIQA/alrS//////////8FABQAYS5ucHkBABAAkAAAAAAAAABTAAAAAAAAAJvsF+obEMnIUMZQrZ6SWpxcpG6loG6TZqKuo6Cell9UUpSYF59flJIKEndLzClOBYoXZyQWpAL5GkY6CkaaOgq1CmQDLgaGBnsGBgYHIALiCQcAUEsDBC0AAAAIAAAAIQBvwzB5//////////8FABQAYi5ucHkBABAAgwAAAAAAAABHAAAAAAAAAJvsF+obEMnIUMZQrZ6SWpxcpG6loF5Taqiuo6Cell9UUpSYF59flJIKEndLzClOBYoXZyQWpAL5GsY6mjoKtQoUAC4G9v8AUEsBAi0DLQAAAAgAAAAhAD9qWtL//////////wUAFAAAAAAAAAAAAIABAAAAAGEubnB5AQAQAJAAAAAAAAAAUwAAAAAAAABQSwECLQMtAAAACAAAACEAb8Mwef//////////BQAcAAAAAAAAAAAAgAH/////Yi5ucHkBABgAgwAAAAAAAABHAAAAAAAAAIoAAAAAAAAAUEsGBiwAAAAAAAAALQAtAAAAAAAAAAAAAgAAAAAAAAACAAAAAAAAAJYAAAAAAAAACAEAAAAAAABQSwYHAAAAAJ4BAAAAAAAAAQAAAFBLBQYAAAAAAgACAJYAAAAIAQAAAAA="

    static func bytes(_ base64: String) -> [UInt8] { [UInt8](Data(base64Encoded: base64)!) }
}

@Suite("NPZ")
struct NPZTests {
    private func checkContents(of archive: NPZArchive, labels: Bool = true) throws {
        #expect(archive.names == (labels ? ["a", "b", "labels"] : ["a", "b"]))
        let a = try archive["a"]
        #expect(a.dtype == .float32 && a.shape == [2, 2])
        #expect(a.tensor().scalars == [1, 2, 3, -4.5])
        #expect(try archive["b"].scalars(as: UInt8.self) == [0, 7, 255])
        if labels {
            let l = try archive["labels"]
            #expect(l.dtype == .int64 && l.shape == [3, 1])
            #expect(try l.integers() == [0, 1, 1])
        }
    }

    @Test func readsNumPyStoredArchive() throws {
        try checkContents(of: NPZArchive(bytes: NPZFixtures.bytes(NPZFixtures.stored)))
    }

    @Test func readsNumPyCompressedArchive() throws {
        try checkContents(of: NPZArchive(bytes: NPZFixtures.bytes(NPZFixtures.deflated)))
    }

    @Test func readsZIP64Records() throws {
        try checkContents(of: NPZArchive(bytes: NPZFixtures.bytes(NPZFixtures.zip64)), labels: false)
    }

    @Test func findsMembersWithOrWithoutSuffix() throws {
        let archive = try NPZArchive(bytes: NPZFixtures.bytes(NPZFixtures.deflated), file: "x.npz")
        #expect(archive.contains("a") && archive.contains("a.npy") && !archive.contains("c"))
        #expect(try archive["b.npy"] == archive["b"])
        #expect(throws: SerializationError.memberNotFound(file: "x.npz", member: "c")) { try archive["c"] }
        #expect(try archive.arrays().count == 3)
    }

    @Test(arguments: [(NPZ.Compression.stored, false), (.deflated, false), (.stored, true), (.deflated, true)])
    func roundTripsThroughAFile(compression: NPZ.Compression, forceZIP64: Bool) throws {
        let arrays: [String: NPYArray] = [
            "images": NPYArray(shape: [2, 2, 3], scalars: (0..<12).map { UInt8($0 * 20) }),
            "labels": NPYArray(shape: [2], scalars: [Int64(0), 1]),
            "weights": NPYArray(Tensor(shape: [3], scalars: [0.5, -0.0, .nan])),
            "empty": NPYArray(shape: [0], scalars: [Double]()),
            "ünïcode": NPYArray(shape: [], scalars: [Int32(7)]),
        ]
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("fathom-npz-\(UUID().uuidString).npz")
        defer { try? FileManager.default.removeItem(at: url) }
        try NPZ.write(arrays, to: url, compression: compression, forceZIP64: forceZIP64)
        let archive = try NPZArchive(contentsOf: url)
        #expect(archive.names == arrays.keys.sorted())
        #expect(try archive.arrays() == arrays)
    }

    @Test func writesTensorsAsFloat32() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("fathom-npz-\(UUID().uuidString).npz")
        defer { try? FileManager.default.removeItem(at: url) }
        try NPZ.write(["x": Tensor(shape: [2], scalars: [1, 2])], to: url, compression: .deflated)
        let x = try NPZArchive(contentsOf: url)["x"]
        #expect(x.dtype == .float32 && x.tensor().scalars == [1, 2])
    }

    @Test func detectsCorruptMemberData() throws {
        var bytes = NPZFixtures.bytes(NPZFixtures.stored)
        bytes[190] ^= 0x01  // Inside a.npy's float data (stored, so only the CRC can tell).
        let archive = try NPZArchive(bytes: bytes, file: "bad.npz")
        let error = #expect(throws: SerializationError.self) { try archive["a"] }
        guard case let .crcMismatch(file, member, expected, actual)? = error else {
            Issue.record("expected a CRC mismatch, got \(String(describing: error))")
            return
        }
        #expect(file == "bad.npz" && member == "a.npy" && expected == 0xD25A_6A3F && actual != expected)
        #expect(try archive["b"].scalarCount == 3)  // Other members are unaffected.
    }

    @Test func refusesNonZipBytes() {
        #expect(throws: SerializationError.badMagic(file: "<memory>", format: "NPZ (zip)")) {
            try NPZArchive(bytes: Array(repeating: 7, count: 100))
        }
        #expect(throws: SerializationError.truncated(file: "<memory>", expected: 22, actual: 3)) {
            try NPZArchive(bytes: [0x50, 0x4B, 0x03])
        }
    }
}
