import Testing
import Tensor

/// The pool of large freed buffers behind tensor storage: buffers are reused by exact size or
/// by a larger cached one, and evicted to bound the footprint. Whatever it does, two live
/// tensors must never share a buffer and a tensor's values must survive every other
/// allocation and release.
@Suite struct BufferPoolTests {
    /// A tensor of `count` scalars all equal to `value`, written through the uninitialized
    /// allocation path (the one the pool serves).
    private func filled(_ count: Int, with value: Float) -> Tensor {
        Tensor(shape: [count]) { buffer in
            for i in buffer.indices { buffer[i] = value }
        }
    }

    private func holds(_ tensor: Tensor, _ value: Float) -> Bool {
        tensor.withUnsafeBufferPointer { buffer in buffer.allSatisfy { $0 == value } }
    }

    @Test func liveTensorsKeepTheirValuesAcrossReuseAndEviction() {
        // Sizes from 256 KiB to 16 MiB, some within 2× of each other (best-fit reuse), some far
        // apart (eviction when the mix changes); a pseudo-random keep/drop pattern.
        let sizes = [65_536, 98_304, 131_072, 200_000, 262_144, 500_000, 1_000_000, 4_194_304, 65_537, 3_000_000]
        var rng = RandomGenerator(seed: 1)
        var live: [(tensor: Tensor, value: Float)] = []
        var next: Float = 1
        for round in 0..<60 {
            // The mix shifts every 20 rounds, like the stages of a network.
            let phase = sizes.rotated(by: round / 20 * 3)
            for size in phase.prefix(4 + round % 5) {
                live.append((filled(size, with: next), next))
                next += 1
            }
            live = live.filter { _ in rng.nextUnitFloat() < 0.5 }
            for (tensor, value) in live {
                #expect(holds(tensor, value), "round \(round): a live tensor of \(tensor.scalarCount) scalars was overwritten")
            }
        }
        for i in live.indices {
            for j in live.indices where i < j {
                #expect(!live[i].tensor.sharesStorage(with: live[j].tensor))
            }
        }
    }

    @Test func aBufferReusedForASmallerTensorServesItsOwnSizeAgain() {
        // 4 MiB freed, then a 3 MiB tensor may take it; after both are gone, 4 MiB again.
        do { _ = filled(1 << 20, with: 1) }
        let smaller = filled(3 << 18, with: 2)
        let exact = filled(1 << 20, with: 3)
        #expect(holds(smaller, 2) && holds(exact, 3))
        #expect(smaller.scalarCount == 3 << 18 && exact.scalarCount == 1 << 20)
        #expect(!smaller.sharesStorage(with: exact))
    }
}

/// The counters and settings that ``TensorMemory`` exposes. Other suites allocate in parallel,
/// so the checks are bounds that hold whatever they do.
@Suite struct TensorMemoryTests {
    @Test func countsLiveTensorsAndTheirPeak() {
        let bytes = 64 << 20
        let tensor = Tensor(shape: [bytes / 4], repeating: 1)
        let statistics = TensorMemory.statistics
        #expect(statistics.allocatedBytes >= bytes)
        #expect(statistics.peakAllocatedBytes >= statistics.allocatedBytes)
        TensorMemory.resetPeak()
        #expect(TensorMemory.statistics.peakAllocatedBytes >= bytes, "a reset peak starts at what is allocated now")
        #expect(tensor.scalarCount == bytes / 4)
    }

    @Test func releasingCachedBuffersKeepsLiveTensorsIntact() {
        var generator = RandomGenerator(seed: 3)
        var live: [(Tensor, Float)] = []
        for i in 0..<24 {
            let count = (64 << 10) + Int(generator.nextUnitFloat() * Float(2 << 20))
            let value = Float(i + 1)
            live.append((Tensor(shape: [count], repeating: value), value))
            if i % 3 == 2 { live.removeFirst() }  // free some: their blocks become cached
            if i % 8 == 7 { TensorMemory.releaseCachedBuffers() }
        }
        TensorMemory.releaseCachedBuffers()
        for (tensor, value) in live {
            #expect(tensor.withUnsafeBufferPointer { $0.allSatisfy { $0 == value } })
        }
        let again = Tensor(shape: [1 << 20], repeating: 5)  // served after the pages went back
        #expect(again.withUnsafeBufferPointer { $0.allSatisfy { $0 == 5 } })
    }
}

private extension Array {
    func rotated(by shift: Int) -> [Element] {
        guard !isEmpty else { return self }
        let k = shift % count
        return Array(self[k...] + self[..<k])
    }
}
