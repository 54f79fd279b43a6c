import Foundation

/// The memory behind tensor storage: small buffers from malloc, large ones from blocks of
/// mapped pages that are kept and reused (``BlockArena``).
///
/// Training allocates the same activation shapes every step. Returning a large buffer to the
/// system and asking for it again costs a page fault per 4 KiB on first touch (and the kernel
/// zeroes every page), which made a fresh 16 MiB elementwise result 2–3× slower than writing
/// into warm memory. Buffers of at least ``minimumBytes`` therefore come from mapped segments
/// whose freed blocks are kept, split for smaller requests and merged again when their
/// neighbours are freed.
///
/// What is kept counts in the process's resident memory on top of the live tensors, so it is
/// bounded: live plus resident free bytes stay within ``TensorMemory/cacheLimitFactor`` times
/// the highest live bytes seen so far. Past the bound, the free blocks released longest ago give
/// their pages back (a segment that is entirely free is unmapped; a free block inside a
/// segment in use is `MADV_DONTNEED`-ed, its addresses kept). Replayed allocation traces of the
/// comparison workloads, and their measurements (README, "Peak memory in training"), chose the
/// default: exact-size reuse without splitting needed 1.75× the live peak to avoid remapping
/// every step, and at that bound ResNet-18 training at 224 px kept 354 MiB cached next to
/// 625 MiB live.
enum BufferPool {
    /// Buffers smaller than this go straight to malloc, which is fast for them.
    static let minimumBytes = 256 << 10
    /// The most free memory kept resident, whatever the bound: a backstop.
    static let capacityBytes = 2 << 30
    /// Segments from this size on ask for transparent huge pages: a 2 MiB page faults and is
    /// zeroed once where 512 small ones would fault one by one.
    static let hugePageBytes = 2 << 20

    private static let lock = NSLock()
    // Guarded by `lock`:
    nonisolated(unsafe) private static var arena = BlockArena()
    nonisolated(unsafe) private static var peakLiveBytes = 0
    nonisolated(unsafe) private static var limitFactor = 1.1
    /// Bytes handed out (pooled or not) and not yet released, and their peak since the last
    /// ``resetPeakStatistics()`` (for ``TensorMemory``).
    nonisolated(unsafe) private static var allocatedBytes = 0
    nonisolated(unsafe) private static var peakAllocatedBytes = 0

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
        lock.withLock {
            allocatedBytes += bytes
            peakAllocatedBytes = max(peakAllocatedBytes, allocatedBytes)
        }
        let pointer = bytes >= minimumBytes ? allocatePooled(bytes: bytes)
            : UnsafeMutableRawPointer.allocate(byteCount: bytes, alignment: 64)
        if poisonsUninitializedMemory {
            pointer.initializeMemory(as: UInt32.self, repeating: 0x7FC0_0000, count: bytes / 4)
        }
        return pointer
    }

    /// A block from the arena, after mapping a new segment if none fits; then the bound.
    private static func allocatePooled(bytes: Int) -> UnsafeMutableRawPointer {
        // Mapping happens outside the lock; another thread may take the new segment meanwhile,
        // in which case this one maps again.
        while true {
            let (taken, unmapped): ((start: UInt, size: Int)?, [(UInt, Int)]) = lock.withLock {
                guard let taken = arena.take(bytes) else { return (nil, []) }
                peakLiveBytes = max(peakLiveBytes, arena.liveBytes)
                return (taken, enforceBoundLocked())
            }
            for (start, size) in unmapped { unmap(start, bytes: size) }
            if let taken { return UnsafeMutableRawPointer(bitPattern: taken.start)! }
            let size = BlockArena.roundedUp(bytes)
            let start = map(bytes: size)
            lock.withLock { arena.addSegment(start: start, size: size) }
        }
    }

    /// Gives pages back, least recently freed blocks first, until live plus resident free
    /// bytes fit the bound (`factor` times the live peak, the cache limit by default); returns
    /// the whole segments to unmap outside the lock.
    private static func enforceBoundLocked(factor: Double? = nil) -> [(UInt, Int)] {
        let limit = min(Int(Double(peakLiveBytes) * (factor ?? limitFactor)), arena.liveBytes + capacityBytes)
        var unmapped: [(UInt, Int)] = []
        while arena.liveBytes + arena.residentFreeBytes > limit, let start = arena.oldestResidentFreeBlock() {
            if arena.isWholeSegment(start) {
                unmapped.append((start, arena.blocks[start]!.size))
                arena.removeSegment(start)
            } else {
                // Under the lock: once released, the block could be handed out and written.
                let status = madvise(UnsafeMutableRawPointer(bitPattern: start), arena.blocks[start]!.size, MADV_DONTNEED)
                precondition(status == 0, "BufferPool: madvise(MADV_DONTNEED) failed (errno \(errno))")
                arena.markNonResident(start)
            }
        }
        return unmapped
    }

    /// Fresh pages from the system for a segment (page-aligned, so 64-byte aligned).
    ///
    /// Segments bypass malloc: glibc keeps freed blocks below its mmap threshold (which it
    /// raises up to 32 MiB as large blocks come and go) in its heap, where they fragment and
    /// stay resident; memory given back must really go back to the system.
    private static func map(bytes: Int) -> UInt {
        guard let pointer = mmap(nil, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0),
              pointer != MAP_FAILED else {
            fatalError("BufferPool: out of memory mapping \(bytes) bytes (errno \(errno))")
        }
        if bytes >= hugePageBytes { _ = madvise(pointer, bytes, MADV_HUGEPAGE) }  // a hint; failure changes nothing
        return UInt(bitPattern: pointer)
    }

    /// Returns a segment's pages and addresses to the system.
    private static func unmap(_ start: UInt, bytes: Int) {
        let status = munmap(UnsafeMutableRawPointer(bitPattern: start), bytes)
        precondition(status == 0, "BufferPool: munmap of \(bytes) bytes failed (errno \(errno))")
    }

    /// Gives a buffer back: to malloc if small, to the arena (kept for reuse) if large.
    static func release(_ pointer: UnsafeMutableRawPointer, bytes: Int) {
        lock.withLock { allocatedBytes -= bytes }
        guard bytes >= minimumBytes else { return pointer.deallocate() }
        let unmapped = lock.withLock {
            _ = arena.release(UInt(bitPattern: pointer))
            return enforceBoundLocked()  // the backstop only: releasing never raises live + resident
        }
        for (start, size) in unmapped { unmap(start, bytes: size) }
    }

    /// Gives every free block's pages back (for memory measurements and long-lived servers).
    static func drain() {
        let unmapped = lock.withLock { enforceBoundLocked(factor: 0) }
        for (start, size) in unmapped { unmap(start, bytes: size) }
    }

    /// Counters for ``TensorMemory/statistics``.
    static func statistics() -> (allocated: Int, peak: Int, cached: Int) {
        lock.withLock { (allocatedBytes, peakAllocatedBytes, arena.residentFreeBytes) }
    }

    /// Starts a new peak at the bytes allocated now.
    static func resetPeakStatistics() {
        lock.withLock { peakAllocatedBytes = allocatedBytes }
    }

    /// The bound on live plus resident free bytes, as a multiple of the peak live bytes.
    static var cacheLimitFactor: Double {
        get { lock.withLock { limitFactor } }
        set {
            precondition(newValue >= 1, "TensorMemory.cacheLimitFactor: \(newValue) is below 1")
            lock.withLock { limitFactor = newValue }
        }
    }
}
