import FathomTestSupport
import Foundation
import PneumoniaKit
import Testing

@Suite("MD5")
struct MD5Tests {
    /// The test suite of RFC 1321, appendix A.5.
    @Test(arguments: [
        ("", "d41d8cd98f00b204e9800998ecf8427e"),
        ("a", "0cc175b9c0f1b6a831c399e269772661"),
        ("abc", "900150983cd24fb0d6963f7d28e17f72"),
        ("message digest", "f96b697d7cb7938d525a2f31aaf161d0"),
        ("abcdefghijklmnopqrstuvwxyz", "c3fcd3d76192e4007dfb496cca67e13b"),
        ("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", "d174ab98d277d9f5a5611c2c9f419d9f"),
        ("12345678901234567890123456789012345678901234567890123456789012345678901234567890", "57edf4a22be3c955ac49da2e2107b67a"),
    ])
    func matchesRFC1321TestSuite(input: String, digest: String) {
        #expect(MD5.hash(of: Array(input.utf8)).hex == digest)
        var hasher = MD5()
        hasher.update(input)
        #expect("\(hasher.finalize())" == digest)
    }

    @Test func hashesAMillionAs() {
        var hasher = MD5()
        let chunk = [UInt8](repeating: UInt8(ascii: "a"), count: 1000)
        for _ in 0..<1000 { hasher.update(chunk) }
        #expect(hasher.finalize().hex == "7707d6ae4e027c70eea2a935c2296f21")
    }

    /// Every split point, including those around the 56- and 64-byte padding boundaries,
    /// gives the one-shot digest.
    @Test func streamingMatchesOneShotAtEverySplit() {
        let bytes = (0..<200).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
        for length in [55, 56, 57, 63, 64, 65, 119, 120, 128, 200] {
            let message = Array(bytes.prefix(length))
            let expected = MD5.hash(of: message)
            for split in 0...length {
                var hasher = MD5()
                hasher.update(Array(message[..<split]))
                hasher.update(Array(message[split...]))
                #expect(hasher.finalize() == expected, "length \(length), split \(split)")
            }
        }
    }

    @Test func finalizeLeavesTheHasherUsable() {
        var hasher = MD5()
        hasher.update("ab")
        #expect(hasher.finalize().hex == "187ef4436122d1cc2f40dc2b92f0eba0")
        hasher.update("c")
        #expect(hasher.finalize().hex == "900150983cd24fb0d6963f7d28e17f72")
        #expect(hasher.finalize().bytes.count == 16)
    }

    @Test func hashesPneumoniaMNISTFile() throws {
        let url = try SharedData.dataFile("pneumoniamnist/pneumoniamnist.npz")
        #expect(try MD5.hash(ofFileAt: url).hex == "28209eda62fecd6e6a2d98b1501bb15f")
    }

    @Test func reportsMissingFile() {
        #expect(throws: CocoaError.self) {
            try MD5.hash(ofFileAt: URL(fileURLWithPath: "/nonexistent-fathom-dir/x.bin"))
        }
    }
}
