import Foundation

/// A cache of large freed tensor buffers.
///
/// Training allocates the same activation shapes every step. Returning a large buffer to the
/// system and asking for it again costs a page fault per 4 KiB on first touch, which made a
/// fresh 16 MiB elementwise result 2–3× slower than writing into warm memory. Buffers of at
/// least ``minimumBytes`` are kept here instead.
///
/// What the pool holds counts in the process's resident memory on top of the live tensors, so
/// it holds no more than it needs to serve a repeating workload:
/// - A request takes a cached buffer of its exact size, else the smallest cached one up to
///   ``largestFit`` times larger (inference allocates a different set of sizes in every stage
///   of a network; a stage's buffers serve the next stage's smaller ones).
/// - Live plus cached bytes stay within ``footprintFactor`` times the highest live bytes seen
///   so far: on a miss, the least recently freed buffers are returned to the system first.
///   Without this bound the pool kept every size of every stage and doubled the resident
///   memory of inference (ResNet-18 at 224 px: 253 MiB cached next to 117 MiB live).
/// - Never more than ``capacityBytes`` cached: a backstop; the footprint bound is what limits
///   the cache in practice.
///
/// Replayed allocation traces of the comparison workloads (`Benchmarks/compare`) reach a
/// steady state that allocates no fresh buffer at all with these settings, as the old
/// exact-size pool did, with a smaller footprint (2026-11-27, issue #9).
enum BufferPool {
    /// Buffers smaller than this go straight to the allocator, which is fast for them.
    static let minimumBytes = 256 << 10
    /// The most memory the pool holds on to. At 512 MiB ResNet-18's 224-px training step (peak
    /// live ~1 GiB) missed the cache for ~850 MiB a step and paid their page faults.
    static let capacityBytes = 2 << 30
    /// A request may take a cached buffer up to this many times its size.
    static let largestFit = 2
    /// Live plus cached bytes stay within this multiple of the peak live bytes.
    static let footprintFactor = 1.75

    /// A cached buffer and when it was freed (for least-recently-freed eviction).
    private struct Cached {
        let pointer: UnsafeMutableRawPointer
        let serial: Int
    }

    private static let lock = NSLock()
    /// Cached buffers by size, most recently freed last.
    nonisolated(unsafe) private static var free: [Int: [Cached]] = [:]
    nonisolated(unsafe) private static var cachedBytes = 0
    /// Bytes of pooled-size buffers handed out and not yet released, and their peak.
    nonisolated(unsafe) private static var liveBytes = 0
    nonisolated(unsafe) private static var peakLiveBytes = 0
    /// The real sizes of handed-out buffers that are larger than their request.
    nonisolated(unsafe) private static var oversized: [UnsafeMutableRawPointer: Int] = [:]
    nonisolated(unsafe) private static var releaseCount = 0

    /// Whether new buffers are filled with NaN before they are handed out.
    ///
    /// Storage is uninitialized by design, so a kernel that forgets to write an element reads
    /// whatever the buffer held before: zeros from a fresh page, an old activation from the
    /// pool. Such a bug is silent and depends on allocation history. With
    /// `FATHOM_POISON_UNINITIALIZED=1` in the environment every unwritten element is NaN, which
    /// any downstream check catches at once. CI runs the test suite this way.
    static let poisonsUninitializedMemory: Bool =
        ProcessInfo.processInfo.environment["FATHOM_POISON_UNINITIALIZED"].map { $0 != "0" && !$0.isEmpty } ?? false

    /// A 64-byte-aligned buffer of at least `bytes` bytes, reused from the cache when it can be.
    static func allocate(bytes: Int) -> UnsafeMutableRawPointer {
        let pointer = bytes >= minimumBytes ? allocatePooled(bytes: bytes)
            : UnsafeMutableRawPointer.allocate(byteCount: bytes, alignment: 64)
        if poisonsUninitializedMemory {
            pointer.initializeMemory(as: UInt32.self, repeating: 0x7FC0_0000, count: bytes / 4)
        }
        return pointer
    }

    /// A cached buffer that fits `bytes`, or a new one after making room for it.
    private static func allocatePooled(bytes: Int) -> UnsafeMutableRawPointer {
        let (reused, evicted): (UnsafeMutableRawPointer?, [(UnsafeMutableRawPointer, Int)]) = lock.withLock {
            let size = free[bytes]?.isEmpty == false ? bytes
                : free.keys.filter { $0 > bytes && $0 <= bytes * largestFit && free[$0]?.isEmpty == false }.min()
            if let size, let entry = free[size]?.popLast() {
                cachedBytes -= size
                liveBytes += size
                if size != bytes { oversized[entry.pointer] = size }
                return (entry.pointer, [])
            }
            liveBytes += bytes
            peakLiveBytes = max(peakLiveBytes, liveBytes)
            return (nil, evictLocked(keepingWithin: Int(Double(peakLiveBytes) * footprintFactor)))
        }
        for (pointer, size) in evicted { unmap(pointer, bytes: size) }
        return reused ?? map(bytes: bytes)
    }

    /// Fresh pages from the system for a pooled buffer (page-aligned, so 64-byte aligned).
    ///
    /// Pooled buffers bypass malloc: glibc keeps freed blocks below its mmap threshold (which
    /// it raises up to 32 MiB as large blocks come and go) in its heap, where they fragment and
    /// stay resident; an evicted buffer must really go back to the system.
    private static func map(bytes: Int) -> UnsafeMutableRawPointer {
        guard let pointer = mmap(nil, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0),
              pointer != MAP_FAILED else {
            fatalError("BufferPool: out of memory mapping \(bytes) bytes (errno \(errno))")
        }
        return pointer
    }

    /// Returns a pooled buffer's pages to the system.
    private static func unmap(_ pointer: UnsafeMutableRawPointer, bytes: Int) {
        let status = munmap(pointer, bytes)
        precondition(status == 0, "BufferPool: munmap of \(bytes) bytes failed (errno \(errno))")
    }

    /// Removes the least recently freed buffers until live plus cached bytes fit `limit`;
    /// returns them for deallocation outside the lock.
    private static func evictLocked(keepingWithin limit: Int) -> [(UnsafeMutableRawPointer, Int)] {
        var evicted: [(UnsafeMutableRawPointer, Int)] = []
        while cachedBytes > 0 && liveBytes + cachedBytes > limit {
            guard let (size, index) = free.flatMap({ size, entries in entries.indices.map { (size, $0) } })
                .min(by: { free[$0.0]![$0.1].serial < free[$1.0]![$1.1].serial }) else { break }
            evicted.append((free[size]!.remove(at: index).pointer, size))
            cachedBytes -= size
        }
        return evicted
    }

    /// Gives a buffer back: cached if large and there is room, freed otherwise.
    static func release(_ pointer: UnsafeMutableRawPointer, bytes: Int) {
        guard bytes >= minimumBytes else { return pointer.deallocate() }
        let (kept, size): (Bool, Int) = lock.withLock {
            let size = oversized.removeValue(forKey: pointer) ?? bytes
            liveBytes -= size
            guard cachedBytes + size <= capacityBytes else { return (false, size) }
            releaseCount += 1
            free[size, default: []].append(Cached(pointer: pointer, serial: releaseCount))
            cachedBytes += size
            return (true, size)
        }
        if !kept { unmap(pointer, bytes: size) }
    }

    /// Frees every cached buffer (for memory measurements and long-lived servers).
    static func drain() {
        let buffers: [(UnsafeMutableRawPointer, Int)] = lock.withLock {
            defer { free = [:]; cachedBytes = 0 }
            return free.flatMap { size, entries in entries.map { ($0.pointer, size) } }
        }
        for (pointer, size) in buffers { unmap(pointer, bytes: size) }
    }
}
