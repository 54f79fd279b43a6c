import Foundation

/// A cache of large freed tensor buffers, keyed by exact size.
///
/// Training allocates the same activation shapes every step. Returning a large buffer to the
/// system and asking for it again costs a page fault per 4 KiB on first touch, which made a
/// fresh 16 MiB elementwise result 2–3× slower than writing into warm memory. Buffers of at
/// least ``minimumBytes`` are kept here instead, up to ``capacityBytes`` in total.
enum BufferPool {
    /// Buffers smaller than this go straight to the allocator, which is fast for them.
    static let minimumBytes = 256 << 10
    /// The most memory the pool holds on to.
    static let capacityBytes = 512 << 20

    private static let lock = NSLock()
    nonisolated(unsafe) private static var free: [Int: [UnsafeMutableRawPointer]] = [:]
    nonisolated(unsafe) private static var cachedBytes = 0

    /// Whether new buffers are filled with NaN before they are handed out.
    ///
    /// Storage is uninitialized by design, so a kernel that forgets to write an element reads
    /// whatever the buffer held before: zeros from a fresh page, an old activation from the
    /// pool. Such a bug is silent and depends on allocation history. With
    /// `FATHOM_POISON_UNINITIALIZED=1` in the environment every unwritten element is NaN, which
    /// any downstream check catches at once. CI runs the test suite this way.
    static let poisonsUninitializedMemory: Bool =
        ProcessInfo.processInfo.environment["FATHOM_POISON_UNINITIALIZED"].map { $0 != "0" && !$0.isEmpty } ?? false

    /// A 64-byte-aligned buffer of `bytes` bytes, reused when one of that size is cached.
    static func allocate(bytes: Int) -> UnsafeMutableRawPointer {
        let pointer = takeCached(bytes: bytes) ?? UnsafeMutableRawPointer.allocate(byteCount: bytes, alignment: 64)
        if poisonsUninitializedMemory {
            pointer.initializeMemory(as: UInt32.self, repeating: 0x7FC0_0000, count: bytes / 4)
        }
        return pointer
    }

    private static func takeCached(bytes: Int) -> UnsafeMutableRawPointer? {
        guard bytes >= minimumBytes else { return nil }
        return lock.withLock {
            guard let pointer = free[bytes]?.popLast() else { return nil }
            cachedBytes -= bytes
            return pointer
        }
    }

    /// Gives a buffer back: cached if large and there is room, freed otherwise.
    static func release(_ pointer: UnsafeMutableRawPointer, bytes: Int) {
        if bytes >= minimumBytes {
            let kept: Bool = lock.withLock {
                guard cachedBytes + bytes <= capacityBytes else { return false }
                free[bytes, default: []].append(pointer)
                cachedBytes += bytes
                return true
            }
            if kept { return }
        }
        pointer.deallocate()
    }

    /// Frees every cached buffer (for memory measurements and long-lived servers).
    static func drain() {
        let buffers: [UnsafeMutableRawPointer] = lock.withLock {
            defer { free = [:]; cachedBytes = 0 }
            return free.values.flatMap { $0 }
        }
        for pointer in buffers { pointer.deallocate() }
    }
}
