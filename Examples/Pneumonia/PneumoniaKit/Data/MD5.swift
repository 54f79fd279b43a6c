import Foundation

/// The MD5 message digest (RFC 1321), for checking downloads against published checksums.
///
/// MD5 is broken as a defence against tampering; it is here because dataset publishers
/// (Zenodo, MedMNIST) list MD5 sums, and it still catches truncated or corrupted downloads.
///
/// ```swift
/// MD5.hash(of: Array("abc".utf8)).hex          // "900150983cd24fb0d6963f7d28e17f72"
/// var hasher = MD5()
/// hasher.update(chunk1); hasher.update(chunk2)
/// let digest = hasher.finalize()
/// try MD5.hash(ofFileAt: url).hex
/// ```
public struct MD5: Sendable {
    /// A 16-byte MD5 digest.
    public struct Digest: Sendable, Hashable, CustomStringConvertible {
        /// The digest bytes, in the order RFC 1321 prints them.
        public let bytes: [UInt8]

        /// The digest as 32 lowercase hexadecimal digits, as `md5sum` prints it.
        public var hex: String {
            let digits = Array("0123456789abcdef".utf8)
            var text: [UInt8] = []
            text.reserveCapacity(32)
            for byte in bytes {
                text.append(digits[Int(byte >> 4)])
                text.append(digits[Int(byte & 0x0F)])
            }
            return String(decoding: text, as: UTF8.self)
        }

        /// Same as ``hex``.
        public var description: String { hex }
    }

    private var state: (UInt32, UInt32, UInt32, UInt32) = (0x6745_2301, 0xEFCD_AB89, 0x98BA_DCFE, 0x1032_5476)
    /// Bytes waiting for a full 64-byte block.
    private var pending: [UInt8] = []
    private var length: UInt64 = 0

    /// A hasher that has seen no bytes yet.
    public init() {
        pending.reserveCapacity(64)
    }

    /// Feeds `bytes` to the hash.
    public mutating func update(_ bytes: UnsafeRawBufferPointer) {
        length &+= UInt64(bytes.count)
        var offset = 0
        if !pending.isEmpty {
            let take = min(64 - pending.count, bytes.count)
            pending += bytes[0..<take]
            offset = take
            guard pending.count == 64 else { return }
            pending.withUnsafeBytes { compress($0.baseAddress!) }
            pending.removeAll(keepingCapacity: true)
        }
        while bytes.count - offset >= 64 {
            compress(bytes.baseAddress! + offset)
            offset += 64
        }
        pending += bytes[offset...]
    }

    /// Feeds `bytes` to the hash.
    public mutating func update(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { update($0) }
    }

    /// Feeds the UTF-8 bytes of `text` to the hash.
    public mutating func update(_ text: String) {
        update(Array(text.utf8))
    }

    /// The digest of everything fed so far. The hasher itself is unchanged, so more bytes can
    /// still be added.
    public func finalize() -> Digest {
        var copy = self
        // Padding: 0x80, zeros up to 56 mod 64, then the bit length little-endian.
        let bitLength = length &* 8
        var tail: [UInt8] = [0x80]
        tail += [UInt8](repeating: 0, count: (55 - pending.count + 64) % 64)
        withUnsafeBytes(of: bitLength.littleEndian) { tail += $0 }
        tail.withUnsafeBytes { copy.update($0) }
        var bytes: [UInt8] = []
        for word in [copy.state.0, copy.state.1, copy.state.2, copy.state.3] {
            withUnsafeBytes(of: word.littleEndian) { bytes += $0 }
        }
        return Digest(bytes: bytes)
    }

    /// The digest of `bytes`.
    public static func hash(of bytes: [UInt8]) -> Digest {
        var hasher = MD5()
        hasher.update(bytes)
        return hasher.finalize()
    }

    /// The digest of the file at `url`, read in 1 MiB chunks (a dataset of hundreds of
    /// megabytes is never held in memory).
    public static func hash(ofFileAt url: URL) throws -> Digest {
        var hasher = MD5()
        let handle = try FileHandle(forReadingFrom: url)
        defer { try? handle.close() }
        while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty {
            chunk.withUnsafeBytes { hasher.update($0) }
        }
        return hasher.finalize()
    }

    /// Mixes one 64-byte block into the state: the 64 steps of RFC 1321, section 3.4,
    /// unrolled with their constants floor(abs(sin(i + 1)) × 2³²) and rotations inline,
    /// which runs about twice as fast as the table-driven loop.
    private mutating func compress(_ block: UnsafeRawPointer) {
        func word(_ i: Int) -> UInt32 { UInt32(littleEndian: block.loadUnaligned(fromByteOffset: i &* 4, as: UInt32.self)) }
        let (x0, x1, x2, x3, x4, x5, x6, x7) = (word(0), word(1), word(2), word(3), word(4), word(5), word(6), word(7))
        let (x8, x9, x10, x11, x12, x13, x14, x15) = (word(8), word(9), word(10), word(11), word(12), word(13), word(14), word(15))
        var (a, b, c, d) = state
        a = F(a, b, c, d, x0, 7, 0xd76aa478); d = F(d, a, b, c, x1, 12, 0xe8c7b756); c = F(c, d, a, b, x2, 17, 0x242070db); b = F(b, c, d, a, x3, 22, 0xc1bdceee)
        a = F(a, b, c, d, x4, 7, 0xf57c0faf); d = F(d, a, b, c, x5, 12, 0x4787c62a); c = F(c, d, a, b, x6, 17, 0xa8304613); b = F(b, c, d, a, x7, 22, 0xfd469501)
        a = F(a, b, c, d, x8, 7, 0x698098d8); d = F(d, a, b, c, x9, 12, 0x8b44f7af); c = F(c, d, a, b, x10, 17, 0xffff5bb1); b = F(b, c, d, a, x11, 22, 0x895cd7be)
        a = F(a, b, c, d, x12, 7, 0x6b901122); d = F(d, a, b, c, x13, 12, 0xfd987193); c = F(c, d, a, b, x14, 17, 0xa679438e); b = F(b, c, d, a, x15, 22, 0x49b40821)
        a = G(a, b, c, d, x1, 5, 0xf61e2562); d = G(d, a, b, c, x6, 9, 0xc040b340); c = G(c, d, a, b, x11, 14, 0x265e5a51); b = G(b, c, d, a, x0, 20, 0xe9b6c7aa)
        a = G(a, b, c, d, x5, 5, 0xd62f105d); d = G(d, a, b, c, x10, 9, 0x02441453); c = G(c, d, a, b, x15, 14, 0xd8a1e681); b = G(b, c, d, a, x4, 20, 0xe7d3fbc8)
        a = G(a, b, c, d, x9, 5, 0x21e1cde6); d = G(d, a, b, c, x14, 9, 0xc33707d6); c = G(c, d, a, b, x3, 14, 0xf4d50d87); b = G(b, c, d, a, x8, 20, 0x455a14ed)
        a = G(a, b, c, d, x13, 5, 0xa9e3e905); d = G(d, a, b, c, x2, 9, 0xfcefa3f8); c = G(c, d, a, b, x7, 14, 0x676f02d9); b = G(b, c, d, a, x12, 20, 0x8d2a4c8a)
        a = H(a, b, c, d, x5, 4, 0xfffa3942); d = H(d, a, b, c, x8, 11, 0x8771f681); c = H(c, d, a, b, x11, 16, 0x6d9d6122); b = H(b, c, d, a, x14, 23, 0xfde5380c)
        a = H(a, b, c, d, x1, 4, 0xa4beea44); d = H(d, a, b, c, x4, 11, 0x4bdecfa9); c = H(c, d, a, b, x7, 16, 0xf6bb4b60); b = H(b, c, d, a, x10, 23, 0xbebfbc70)
        a = H(a, b, c, d, x13, 4, 0x289b7ec6); d = H(d, a, b, c, x0, 11, 0xeaa127fa); c = H(c, d, a, b, x3, 16, 0xd4ef3085); b = H(b, c, d, a, x6, 23, 0x04881d05)
        a = H(a, b, c, d, x9, 4, 0xd9d4d039); d = H(d, a, b, c, x12, 11, 0xe6db99e5); c = H(c, d, a, b, x15, 16, 0x1fa27cf8); b = H(b, c, d, a, x2, 23, 0xc4ac5665)
        a = I(a, b, c, d, x0, 6, 0xf4292244); d = I(d, a, b, c, x7, 10, 0x432aff97); c = I(c, d, a, b, x14, 15, 0xab9423a7); b = I(b, c, d, a, x5, 21, 0xfc93a039)
        a = I(a, b, c, d, x12, 6, 0x655b59c3); d = I(d, a, b, c, x3, 10, 0x8f0ccc92); c = I(c, d, a, b, x10, 15, 0xffeff47d); b = I(b, c, d, a, x1, 21, 0x85845dd1)
        a = I(a, b, c, d, x8, 6, 0x6fa87e4f); d = I(d, a, b, c, x15, 10, 0xfe2ce6e0); c = I(c, d, a, b, x6, 15, 0xa3014314); b = I(b, c, d, a, x13, 21, 0x4e0811a1)
        a = I(a, b, c, d, x4, 6, 0xf7537e82); d = I(d, a, b, c, x11, 10, 0xbd3af235); c = I(c, d, a, b, x2, 15, 0x2ad7d2bb); b = I(b, c, d, a, x9, 21, 0xeb86d391)
        state = (state.0 &+ a, state.1 &+ b, state.2 &+ c, state.3 &+ d)
    }
}

// The four auxiliary functions of RFC 1321, each folded into one step:
// a ← b + ((a + f(b, c, d) + x + k) <<< s).
@inline(__always)
private func F(_ a: UInt32, _ b: UInt32, _ c: UInt32, _ d: UInt32, _ x: UInt32, _ s: UInt32, _ k: UInt32) -> UInt32 {
    b &+ (a &+ (d ^ (b & (c ^ d))) &+ x &+ k).rotatedLeft(by: s)
}

@inline(__always)
private func G(_ a: UInt32, _ b: UInt32, _ c: UInt32, _ d: UInt32, _ x: UInt32, _ s: UInt32, _ k: UInt32) -> UInt32 {
    b &+ (a &+ (c ^ (d & (b ^ c))) &+ x &+ k).rotatedLeft(by: s)
}

@inline(__always)
private func H(_ a: UInt32, _ b: UInt32, _ c: UInt32, _ d: UInt32, _ x: UInt32, _ s: UInt32, _ k: UInt32) -> UInt32 {
    b &+ (a &+ (b ^ c ^ d) &+ x &+ k).rotatedLeft(by: s)
}

@inline(__always)
private func I(_ a: UInt32, _ b: UInt32, _ c: UInt32, _ d: UInt32, _ x: UInt32, _ s: UInt32, _ k: UInt32) -> UInt32 {
    b &+ (a &+ (c ^ (b | ~d)) &+ x &+ k).rotatedLeft(by: s)
}

private extension UInt32 {
    @inline(__always)
    func rotatedLeft(by count: UInt32) -> UInt32 { (self << count) | (self >> (32 &- count)) }
}
