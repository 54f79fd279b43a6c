/// Page-aligned blocks carved out of mapped segments: the bookkeeping behind ``BufferPool``.
///
/// A request takes the smallest free block that fits — preferring one whose pages are still
/// resident — and splits off the rest when that is worth a block of its own; a released block
/// merges with free neighbours of the same segment. So a large buffer that sits idle through
/// part of a training step (a checkpointed stem's output at 224 px is 98 MiB) serves the many
/// smaller requests of that part, and is whole again by the time it is needed, instead of
/// staying resident next to freshly mapped memory for them.
///
/// A free block's pages are either resident (reused without a page fault) or given back to
/// the system (`MADV_DONTNEED`; they fault in again, zeroed, when next used); the pool decides
/// which to give back. Not thread-safe: ``BufferPool`` holds its lock around every call.
package struct BlockArena {
    /// One block: in use or free, with how many of its bytes are resident while free.
    package struct Block {
        package var size: Int
        package var isFree: Bool
        /// Resident bytes of a free block (its whole size while in use). After merging a
        /// resident and a released neighbour this is a count, not a position: which pages are
        /// resident is left to the kernel.
        package var residentBytes: Int
        /// When it was last released (for least-recently-freed eviction).
        package var freedAt: Int
        /// The start of the segment it belongs to: blocks merge within a segment only.
        package let segment: UInt
    }

    package static let pageBytes = 4096
    /// A split leaves a free remainder only from this size on; smaller remainders stay with
    /// the block handed out (the smallest pooled buffer is this size too).
    package static let minimumRemainder = 256 << 10

    /// An arena with no segment.
    package init() {}

    /// Every block by start address.
    package private(set) var blocks: [UInt: Block] = [:]
    /// The start of the block that ends at each address (to find a released block's left neighbour).
    private var startOfBlockEnding: [UInt: UInt] = [:]
    /// Start addresses of the free blocks.
    package private(set) var freeStarts: Set<UInt> = []
    /// Mapped segments: start → size.
    package private(set) var segments: [UInt: Int] = [:]
    /// Bytes of blocks in use, and resident bytes of free ones.
    package private(set) var liveBytes = 0
    package private(set) var residentFreeBytes = 0
    private var clock = 0

    /// `bytes` rounded up to whole pages.
    package static func roundedUp(_ bytes: Int) -> Int { (bytes + pageBytes - 1) / pageBytes * pageBytes }

    /// Takes a free block for `bytes` (whole pages), or returns `nil` when none fits. The
    /// block handed out may exceed the request by less than ``minimumRemainder``.
    package mutating func take(_ bytes: Int) -> (start: UInt, size: Int)? {
        let size = Self.roundedUp(bytes)
        var bestResident: (start: UInt, size: Int)?, best: (start: UInt, size: Int)?
        for start in freeStarts {
            let block = blocks[start]!
            guard block.size >= size else { continue }
            if block.residentBytes >= size && block.size < (bestResident?.size ?? .max) { bestResident = (start, block.size) }
            if block.size < (best?.size ?? .max) { best = (start, block.size) }
        }
        guard let start = (bestResident ?? best)?.start else { return nil }
        var block = blocks[start]!
        removeFree(start)
        if block.size - size >= Self.minimumRemainder {
            let rest = Block(size: block.size - size, isFree: true, residentBytes: max(0, block.residentBytes - size),
                             freedAt: block.freedAt, segment: block.segment)
            insert(rest, at: start + UInt(size))
            block.size = size
        }
        block.isFree = false
        block.residentBytes = block.size
        insert(block, at: start)
        liveBytes += block.size
        return (start, block.size)
    }

    /// Adds a freshly mapped segment as one free block with nothing resident yet.
    package mutating func addSegment(start: UInt, size: Int) {
        segments[start] = size
        insert(Block(size: size, isFree: true, residentBytes: 0, freedAt: clock, segment: start), at: start)
    }

    /// Releases the block at `start`, merging it with free neighbours; returns its size.
    package mutating func release(_ start: UInt) -> Int {
        guard var block = blocks[start], !block.isFree else {
            preconditionFailure("BufferPool: released a buffer at \(start) that is not in use")
        }
        let releasedSize = block.size
        liveBytes -= releasedSize
        clock += 1
        block.isFree = true
        block.freedAt = clock
        var first = start
        let next = start + UInt(block.size)
        if let right = blocks[next], right.isFree, right.segment == block.segment {
            removeFree(next)
            remove(at: next)
            block.size += right.size
            block.residentBytes += right.residentBytes
        }
        if let leftStart = startOfBlockEnding[start], let left = blocks[leftStart], left.isFree, left.segment == block.segment {
            removeFree(leftStart)
            remove(at: leftStart)
            block.size += left.size
            block.residentBytes += left.residentBytes
            first = leftStart
        }
        remove(at: start)
        insert(block, at: first)
        return releasedSize
    }

    /// The free block with resident pages that was released longest ago.
    package func oldestResidentFreeBlock() -> UInt? {
        freeStarts.filter { blocks[$0]!.residentBytes > 0 }.min { blocks[$0]!.freedAt < blocks[$1]!.freedAt }
    }

    /// Whether the free block at `start` covers its whole segment (then the segment can be unmapped).
    package func isWholeSegment(_ start: UInt) -> Bool {
        segments[start] == blocks[start]?.size
    }

    /// Records that a free block's pages went back to the system.
    package mutating func markNonResident(_ start: UInt) {
        guard var block = blocks[start], block.isFree else { return }
        residentFreeBytes -= block.residentBytes
        block.residentBytes = 0
        blocks[start] = block
    }

    /// Forgets the segment that the free block at `start` covers whole (before unmapping it).
    package mutating func removeSegment(_ start: UInt) {
        precondition(isWholeSegment(start) && blocks[start]!.isFree, "BufferPool: segment at \(start) is in use")
        removeFree(start)
        remove(at: start)
        segments[start] = nil
    }

    // MARK: - Bookkeeping of the maps

    private mutating func insert(_ block: Block, at start: UInt) {
        blocks[start] = block
        startOfBlockEnding[start + UInt(block.size)] = start
        if block.isFree {
            freeStarts.insert(start)
            residentFreeBytes += block.residentBytes
        }
    }

    private mutating func remove(at start: UInt) {
        guard let block = blocks.removeValue(forKey: start) else { return }
        if startOfBlockEnding[start + UInt(block.size)] == start { startOfBlockEnding[start + UInt(block.size)] = nil }
    }

    private mutating func removeFree(_ start: UInt) {
        guard freeStarts.remove(start) != nil else { return }
        residentFreeBytes -= blocks[start]!.residentBytes
    }
}
