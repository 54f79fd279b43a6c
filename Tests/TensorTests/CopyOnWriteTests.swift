import Testing
import Tensor

/// Value semantics: copies share one buffer until one of them is written.
@Suite struct CopyOnWriteTests {
    @Test func copySharesStorageUntilWritten() {
        let original = Tensor([1, 2, 3])
        var copy = original
        #expect(copy.sharesStorage(with: original))
        copy[1] = 20
        #expect(!copy.sharesStorage(with: original))
        #expect(copy.scalars == [1, 20, 3])
        #expect(original.scalars == [1, 2, 3])
    }

    @Test func mutableBufferWriteCopiesASharedBuffer() {
        let original = Tensor(shape: [2, 2], scalars: [1, 2, 3, 4])
        var copy = original
        copy.withUnsafeMutableBufferPointer { buffer in
            for i in 0..<buffer.count { buffer[i] *= 10 }
        }
        #expect(copy.scalars == [10, 20, 30, 40])
        #expect(original.scalars == [1, 2, 3, 4])
    }

    @Test func uniqueBufferIsWrittenInPlace() {
        var t = Tensor([1, 2, 3])
        let before = t.withUnsafeBufferPointer { $0.baseAddress }
        t[0] = 9
        t.withUnsafeMutableBufferPointer { $0[2] = 7 }
        let after = t.withUnsafeBufferPointer { $0.baseAddress }
        #expect(before == after)
        #expect(t.scalars == [9, 2, 7])
    }

    @Test func writingEitherSideLeavesTheOther() {
        let a = Tensor([1, 2])
        var b = a
        var c = a
        c[0] = -1
        b[1] = -2
        #expect(a.scalars == [1, 2])
        #expect(b.scalars == [1, -2])
        #expect(c.scalars == [-1, 2])
    }

    @Test func viewsLikeReshapeAndDetachShareUntilWritten() {
        let a = Tensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6])
        var flat = a.reshaped(to: [6])
        let detached = a.detached()
        #expect(flat.sharesStorage(with: a))
        #expect(detached.sharesStorage(with: a))
        flat[5] = 0
        #expect(a[1, 2] == 6)
        #expect(detached[1, 2] == 6)
    }

    @Test func tensorsSavedByTheTapeAreNotChangedByLaterWrites() throws {
        // The multiply rule saved `w`; writing the caller's copy afterwards must not change the
        // gradient computed from it.
        var w = Tensor([2, 3])
        let x = Tensor([1, 1]).requiringGradient()
        let y = (x * w).sum()
        w[0] = 100
        y.backward()
        expectTensor(try #require(x.grad), shape: [2], [2, 3])
    }

    @Test func resultsDoNotAliasTheirInputs() {
        // An op's output is a new buffer even when the op is an identity in value.
        let a = Tensor([1, 2, 3])
        let b = a + 0
        #expect(!b.sharesStorage(with: a))
        var c = a.slice(alongAxis: 0)
        c[0] = 5
        #expect(a[0] == 1)
    }

    @Test func tensorsCrossTasks() async {
        // Tensor is Sendable: a copy written in another task leaves this one's values.
        let a = Tensor([1, 2, 3])
        let changed = await Task.detached { () -> [Float] in
            var b = a
            b[0] = 42
            return b.scalars
        }.value
        #expect(changed == [42, 2, 3])
        #expect(a.scalars == [1, 2, 3])
    }
}
