import FathomTestSupport
import Testing
import Tensor

/// slice (steps, negative and out-of-range bounds, empty results) and padded, with gradients.
@Suite struct SliceTests {
    let v = Tensor((0..<10).map(Float.init))
    let m = Tensor(shape: [3, 4], scalars: (0..<12).map(Float.init))

    /// Python's `list(range(10))[start:end:step]` for a positive step, written out by hand.
    @Test(arguments: [
        (0, 10, 1, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]),
        (2, 8, 3, [2, 5]),
        (1, 10, 2, [1, 3, 5, 7, 9]),
        (-3, 10, 1, [7, 8, 9]),
        (0, -2, 4, [0, 4]),
        (-100, 3, 1, [0, 1, 2]),
        (8, 100, 1, [8, 9]),
        (5, 5, 1, []),
        (7, 2, 1, []),
        (10, 10, 1, []),
        (9, 10, 5, [9]),
    ] as [(Int, Int, Int, [Float])])
    func sliceOfAVector(_ start: Int, _ end: Int, _ step: Int, _ expected: [Float]) {
        let s = v.slice(alongAxis: 0, start: start, end: end, step: step)
        #expect(s.shape == [expected.count])
        #expect(s.scalars == expected)
    }

    @Test func sliceDefaultsAndOtherAxes() {
        #expect(v.slice(alongAxis: 0).scalars == v.scalars)
        #expect(v.slice(alongAxis: 0, start: 7).scalars == [7, 8, 9])
        expectTensor(m.slice(alongAxis: 1, start: 1, end: 3), shape: [3, 2], [1, 2, 5, 6, 9, 10])
        expectTensor(m.slice(alongAxis: -1, start: 0, step: 3), shape: [3, 2], [0, 3, 4, 7, 8, 11])
        expectTensor(m.slice(alongAxis: 0, start: -1), shape: [1, 4], [8, 9, 10, 11])
        #expect(m.slice(alongAxis: 0, start: 2, end: 1).shape == [0, 4])
        #expect(Tensor.zeros([0, 4]).slice(alongAxis: 1, start: 1).shape == [0, 3])
    }

    @Test func sliceGradients() throws {
        let leaf = m.requiringGradient()
        leaf.slice(alongAxis: 1, start: 1, end: 4, step: 2).sum().backward()
        expectTensor(try #require(leaf.grad), shape: [3, 4], [0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1])
        let t = seededUniform([3, 5, 4], seed: 91)
        checkGradient(of: { $0.slice(alongAxis: 1, start: -4, end: 5, step: 2) }, at: t)
        checkGradient(of: { $0.slice(alongAxis: 0, start: 1) }, at: t)
        checkGradient(of: { $0.slice(alongAxis: -1, start: 0, end: -1, step: 3) }, at: t)
    }

    @Test func padConstant() {
        let p = Tensor(shape: [2, 2], scalars: [1, 2, 3, 4]).padded([(before: 1, after: 0), (before: 0, after: 2)], value: -1)
        expectTensor(p, shape: [3, 4], [-1, -1, -1, -1,
                                        1, 2, -1, -1,
                                        3, 4, -1, -1])
        // Missing leading axes get no padding (the last axes of NCHW are padded).
        let q = Tensor.ones([2, 1, 1]).padded([(before: 1, after: 1)])
        expectTensor(q, shape: [2, 1, 3], [0, 1, 0, 0, 1, 0])
        #expect(Tensor.zeros([2, 3]).padded([]).shape == [2, 3])
        // Padding an empty axis gives only the padding value.
        expectTensor(Tensor.zeros([0]).padded([(before: 1, after: 2)], value: 5), shape: [3], [5, 5, 5])
    }

    @Test func padGradientIsTheInnerSlice() throws {
        let leaf = Tensor(shape: [2, 2], scalars: [1, 2, 3, 4]).requiringGradient()
        let padded = leaf.padded([(before: 1, after: 1), (before: 2, after: 0)], value: 3)
        let weights = Tensor(shape: [4, 4], scalars: (0..<16).map(Float.init))
        (padded * weights).sum().backward()
        // The input sits at rows 1...2, columns 2...3 of the padded tensor.
        expectTensor(try #require(leaf.grad), shape: [2, 2], [6, 7, 10, 11])
        checkGradient(of: { $0.padded([(before: 0, after: 2), (before: 1, after: 1)], value: 0.5) },
                          at: seededUniform([2, 3, 2], seed: 92))
    }
}
