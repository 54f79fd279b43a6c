import Testing
import Tensor

/// The block bookkeeping behind the buffer pool: best fit with a preference for resident
/// pages, splitting, merging within a segment, and exact byte accounting. Addresses here are
/// plain numbers: the arena never touches memory itself.
@Suite struct BlockArenaTests {
    private let MiB = 1 << 20

    private struct NoBlockFits: Error {}

    /// `arena.take(bytes)`, which must succeed.
    private func take(_ arena: inout BlockArena, _ bytes: Int,
                      sourceLocation: SourceLocation = #_sourceLocation) throws -> (start: UInt, size: Int) {
        guard let block = arena.take(bytes) else {
            Issue.record("no block fits \(bytes) bytes", sourceLocation: sourceLocation)
            throw NoBlockFits()
        }
        return block
    }

    /// Checks every invariant: blocks tile each segment without gap or overlap, no two free
    /// neighbours are left unmerged, and the byte counters equal the sums they stand for.
    private func expectConsistent(_ arena: BlockArena, sourceLocation: SourceLocation = #_sourceLocation) {
        var live = 0, residentFree = 0
        for (segment, size) in arena.segments {
            var position = segment
            var previousWasFree = false
            while position < segment + UInt(size) {
                guard let block = arena.blocks[position] else {
                    Issue.record("segment \(segment): no block at \(position)", sourceLocation: sourceLocation)
                    return
                }
                #expect(block.segment == segment, sourceLocation: sourceLocation)
                #expect(!(previousWasFree && block.isFree), "two free neighbours at \(position)", sourceLocation: sourceLocation)
                #expect(block.isFree == arena.freeStarts.contains(position), sourceLocation: sourceLocation)
                if block.isFree { residentFree += block.residentBytes } else { live += block.size }
                #expect(block.residentBytes <= block.size, sourceLocation: sourceLocation)
                previousWasFree = block.isFree
                position += UInt(block.size)
            }
            #expect(position == segment + UInt(size), "segment \(segment) overruns", sourceLocation: sourceLocation)
        }
        #expect(arena.blocks.count == arena.blocks.keys.filter { start in
            arena.segments.contains { start >= $0.key && start < $0.key + UInt($0.value) }
        }.count, "a block outside every segment", sourceLocation: sourceLocation)
        #expect(arena.liveBytes == live, sourceLocation: sourceLocation)
        #expect(arena.residentFreeBytes == residentFree, sourceLocation: sourceLocation)
    }

    @Test func splitsForSmallerRequestsAndMergesBackWhole() throws {
        var arena = BlockArena()
        #expect(arena.take(MiB) == nil)
        arena.addSegment(start: 1 << 32, size: 8 * MiB)
        let first = try take(&arena, 2 * MiB)
        let second = try take(&arena, MiB)
        #expect(first == (start: 1 << 32, size: 2 * MiB))
        #expect(second == (start: (1 << 32) + UInt(2 * MiB), size: MiB))  // carved from the remainder
        #expect(arena.freeStarts.count == 1 && arena.liveBytes == 3 * MiB)
        expectConsistent(arena)
        _ = arena.release(first.start)
        #expect(arena.freeStarts.count == 2)  // not adjacent: the second block sits between
        _ = arena.release(second.start)
        #expect(arena.freeStarts == [1 << 32] && arena.isWholeSegment(1 << 32))
        expectConsistent(arena)
    }

    @Test func keepsSmallRemaindersWithTheBlock() throws {
        var arena = BlockArena()
        arena.addSegment(start: 1 << 32, size: MiB)
        let block = try take(&arena, MiB - 100 << 10)
        #expect(block.size == MiB)  // a 100 KiB remainder is not worth a block
        #expect(arena.take(4096) == nil)
        expectConsistent(arena)
    }

    @Test func prefersResidentPagesThenTheSmallestFit() throws {
        var arena = BlockArena()
        arena.addSegment(start: 1 << 32, size: 4 * MiB)
        arena.addSegment(start: 1 << 33, size: 3 * MiB)
        // Make the 4 MiB segment resident (used once), leave the 3 MiB one fresh.
        let warm = try take(&arena, 4 * MiB)
        _ = arena.release(warm.start)
        #expect(arena.residentFreeBytes == 4 * MiB)
        let taken = try take(&arena, 3 * MiB)
        #expect(taken.start == 1 << 32, "the resident block should win over the smaller fresh one")
        #expect(arena.residentFreeBytes == MiB)  // the remainder counts as still resident
        _ = arena.release(taken.start)
        arena.markNonResident(1 << 32)
        #expect(arena.residentFreeBytes == 0)
        let smallest = try take(&arena, 3 * MiB)
        #expect(smallest.start == 1 << 33, "with nothing resident, the smallest fit wins")
        expectConsistent(arena)
    }

    @Test func neverMergesAcrossSegments() throws {
        var arena = BlockArena()
        arena.addSegment(start: 1 << 32, size: 2 * MiB)
        arena.addSegment(start: (1 << 32) + UInt(2 * MiB), size: 2 * MiB)  // adjacent addresses
        let a = try take(&arena, 2 * MiB)
        let b = try take(&arena, 2 * MiB)
        _ = arena.release(a.start)
        _ = arena.release(b.start)
        #expect(arena.freeStarts.count == 2 && arena.isWholeSegment(a.start) && arena.isWholeSegment(b.start))
        #expect(arena.take(3 * MiB) == nil)
        arena.removeSegment(a.start)
        #expect(arena.segments.count == 1)
        expectConsistent(arena)
    }

    @Test func oldestResidentFreeBlockIsTheLeastRecentlyReleased() throws {
        var arena = BlockArena()
        arena.addSegment(start: 1 << 32, size: 16 * MiB)
        var blocks: [(start: UInt, size: Int)] = []
        for _ in 0..<4 { blocks.append(try take(&arena, 4 * MiB)) }
        for i in [2, 0] { _ = arena.release(blocks[i].start) }
        #expect(arena.oldestResidentFreeBlock() == blocks[2].start)
        arena.markNonResident(blocks[2].start)
        #expect(arena.oldestResidentFreeBlock() == blocks[0].start)
        expectConsistent(arena)
    }

    @Test func randomTakesAndReleasesKeepEveryInvariant() {
        var arena = BlockArena()
        var generator = RandomGenerator(seed: 77)
        var inUse: [UInt] = []
        var nextSegment: UInt = 1 << 32
        for step in 0..<3000 {
            if inUse.isEmpty || generator.nextUnitFloat() < 0.55 {
                let bytes = (256 << 10) + Int(generator.nextUnitFloat() * Float(6 * MiB))
                if let block = arena.take(bytes) {
                    #expect(block.size >= bytes && block.size % BlockArena.pageBytes == 0)
                    inUse.append(block.start)
                } else {
                    arena.addSegment(start: nextSegment, size: BlockArena.roundedUp(bytes) + 2 * MiB)
                    nextSegment += 1 << 28
                }
            } else {
                let index = Int(generator.nextUnitFloat() * Float(inUse.count)) % inUse.count
                _ = arena.release(inUse.remove(at: index))
            }
            if step % 7 == 0, let oldest = arena.oldestResidentFreeBlock() {
                if arena.isWholeSegment(oldest) { arena.removeSegment(oldest) } else { arena.markNonResident(oldest) }
            }
            if step % 100 == 0 { expectConsistent(arena) }
        }
        for start in inUse { _ = arena.release(start) }
        expectConsistent(arena)
        #expect(arena.liveBytes == 0)
        #expect(arena.freeStarts.count == arena.segments.count, "each segment should have merged back into one block")
    }
}
