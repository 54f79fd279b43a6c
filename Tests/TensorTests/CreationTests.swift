import Testing
import Tensor

/// Initializers and constant constructors: shapes, scalars and the rank-0 / size-0 corners.
@Suite struct CreationTests {
    @Test func initFromShapeAndScalarsIsRowMajor() {
        let t = Tensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6])
        #expect(t.shape == [2, 3])
        #expect(t.rank == 2)
        #expect(t.scalarCount == 6)
        #expect(t[0, 2] == 3)
        #expect(t[1, 0] == 4)
        #expect(t[-1, -1] == 6)  // negative indices count from the end
        #expect(t.requiresGradient == false)
    }

    @Test func initFromArrayAndScalar() {
        let v = Tensor([1, 2, 3])
        #expect(v.shape == [3])
        #expect(v.scalars == [1, 2, 3])
        let s = Tensor(Float(4.5))
        #expect(s.shape == [])
        #expect(s.rank == 0)
        #expect(s.scalarCount == 1)
        #expect(s.scalar == 4.5)
    }

    @Test func initializingWithWritesEveryElement() {
        let t = Tensor(shape: [2, 2]) { buffer in
            for i in 0..<buffer.count { buffer[i] = Float(i * i) }
        }
        #expect(t.scalars == [0, 1, 4, 9])
    }

    @Test func sizeZeroShapes() {
        let empty = Tensor(shape: [0, 3], scalars: [])
        #expect(empty.scalarCount == 0)
        #expect(empty.scalars.isEmpty)
        #expect(Tensor.zeros([2, 0, 4]).scalarCount == 0)
        #expect(Tensor.zeros([2, 0, 4]).shape == [2, 0, 4])
        #expect(Tensor([Float]()).shape == [0])
    }

    @Test func zerosOnesFull() {
        #expect(Tensor.zeros([2, 3]).scalars == [Float](repeating: 0, count: 6))
        #expect(Tensor.ones([4]).scalars == [1, 1, 1, 1])
        #expect(Tensor.full([3, 1], value: -2.5).scalars == [-2.5, -2.5, -2.5])
        #expect(Tensor.full([3, 1], value: -2.5).shape == [3, 1])
        #expect(Tensor(shape: [], repeating: 7).scalar == 7)
        let like = Tensor(shape: [2, 1, 3], scalars: [1, 2, 3, 4, 5, 6])
        #expect(Tensor.zeros(like: like).shape == [2, 1, 3])
        #expect(Tensor.zeros(like: like).scalars.allSatisfy { $0 == 0 })
        #expect(Tensor.ones(like: like).scalars.allSatisfy { $0 == 1 })
    }

    @Test func arange() {
        #expect(Tensor.arange(0, 5).scalars == [0, 1, 2, 3, 4])
        #expect(Tensor.arange(4).scalars == [0, 1, 2, 3])  // NumPy's arange(end)
        #expect(Tensor.arange(2, 3).scalars == [2])
        #expect(Tensor.arange(1, 2, step: 0.25).scalars == [1, 1.25, 1.5, 1.75])
        #expect(Tensor.arange(5, 0, step: -2).scalars == [5, 3, 1])
        // An empty range, and a step that does not divide the range (end excluded).
        #expect(Tensor.arange(3, 3).shape == [0])
        #expect(Tensor.arange(3, 1).shape == [0])
        #expect(Tensor.arange(0, 1, step: 0.3).scalarCount == 4)
        // NumPy's classic: arange(0, 1, 0.1) has 10 elements, not 11.
        #expect(Tensor.arange(0, 1, step: 0.1).scalarCount == 10)
    }

    @Test func linspace() {
        #expect(Tensor.linspace(0, 1, count: 5).scalars == [0, 0.25, 0.5, 0.75, 1])
        #expect(Tensor.linspace(2, -2, count: 3).scalars == [2, 0, -2])
        #expect(Tensor.linspace(3, 7, count: 1).scalars == [3])
        #expect(Tensor.linspace(3, 7, count: 0).shape == [0])
        // Both ends are exact even when the step is not representable.
        let t = Tensor.linspace(0.1, 0.7, count: 7)
        #expect(t.scalars.first == 0.1)
        #expect(t.scalars.last == 0.7)
    }

    @Test func eye() {
        #expect(Tensor.eye(3).scalars == [1, 0, 0, 0, 1, 0, 0, 0, 1])
        #expect(Tensor.eye(2, 3).shape == [2, 3])
        #expect(Tensor.eye(2, 3).scalars == [1, 0, 0, 0, 1, 0])
        #expect(Tensor.eye(3, 2).scalars == [1, 0, 0, 1, 0, 0])
        #expect(Tensor.eye(0).shape == [0, 0])
    }

    @Test func subscriptSetWritesOneElement() {
        var t = Tensor.zeros([2, 2])
        t[1, 0] = 5
        t[-1, -1] = 6
        #expect(t.scalars == [0, 0, 5, 6])
    }

    @Test func descriptionShowsShapeAndValues() {
        let text = Tensor(shape: [2, 2], scalars: [1, 2, 3, 4]).description
        #expect(text.contains("[2, 2]"))
        #expect(text.contains("[[1.0, 2.0], [3.0, 4.0]]"))
        #expect(Tensor.zeros([0]).description.contains("[]"))
    }

    @Test func comparisonHelpers() {
        let a = Tensor([1, 2, 3])
        let b = Tensor([1, 2.5, 3])
        #expect(a.maxAbsoluteDifference(b) == 0.5)
        #expect(a.isAlmostEqual(to: b, tolerance: 0.5))
        #expect(!a.isAlmostEqual(to: b, tolerance: 0.4))
        #expect(!a.isAlmostEqual(to: Tensor(shape: [3, 1], scalars: [1, 2, 3])))
        #expect(!Tensor([Float.nan]).isAlmostEqual(to: Tensor([Float.nan])))
    }
}
