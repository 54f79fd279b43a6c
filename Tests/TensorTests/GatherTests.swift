import FathomTestSupport
import Testing
import Tensor

/// taking (index_select), gathering (gather) and oneHot: values, negative and repeated
/// indices, and scatter-add gradients.
@Suite struct GatherTests {
    let m = Tensor(shape: [3, 4], scalars: (0..<12).map(Float.init))

    @Test func takingRowsAndColumns() {
        expectTensor(m.taking([2, 0]), shape: [2, 4], [8, 9, 10, 11, 0, 1, 2, 3])
        expectTensor(m.taking([-1, 1, 1], alongAxis: 1), shape: [3, 3], [3, 1, 1, 7, 5, 5, 11, 9, 9])
        #expect(m.taking([]).shape == [0, 4])
        let cube = Tensor(shape: [2, 3, 2], scalars: (0..<12).map(Float.init))
        expectTensor(cube.taking([2, 0], alongAxis: -2), shape: [2, 2, 2], [4, 5, 0, 1, 10, 11, 6, 7])
    }

    @Test func takingGradientAccumulatesRepeats() throws {
        let leaf = m.requiringGradient()
        leaf.taking([1, 1, 2, 1]).sum().backward()
        expectTensor(try #require(leaf.grad), shape: [3, 4], [0, 0, 0, 0, 3, 3, 3, 3, 1, 1, 1, 1])
        checkGradient(of: { $0.taking([0, 2, 0, -1], alongAxis: 1) }, at: seededUniform([2, 3, 2], seed: 111))
    }

    @Test func gatheringAlongEachAxis() {
        // out[i][j] = m[i][idx[i][j]] along axis 1.
        let columns = Tensor(shape: [3, 2], scalars: [0, 3, 1, 1, -1, 2])
        expectTensor(m.gathering(alongAxis: 1, indices: columns), shape: [3, 2], [0, 3, 5, 5, 11, 10])
        // out[i][j] = m[idx[i][j]][j] along axis 0.
        let rows = Tensor(shape: [2, 4], scalars: [2, 1, 0, 2, 0, 0, 0, 0])
        expectTensor(m.gathering(alongAxis: 0, indices: rows), shape: [2, 4], [8, 5, 2, 11, 0, 1, 2, 3])
        #expect(m.gathering(alongAxis: 1, indices: Tensor.zeros([3, 0])).shape == [3, 0])
    }

    @Test func gatheringGradientAccumulatesRepeats() throws {
        let leaf = m.requiringGradient()
        let indices = Tensor(shape: [3, 3], scalars: [0, 0, 0, 3, 2, 3, 1, 1, 1])
        leaf.gathering(alongAxis: -1, indices: indices).sum().backward()
        expectTensor(try #require(leaf.grad), shape: [3, 4], [3, 0, 0, 0, 0, 0, 1, 2, 0, 3, 0, 0])
        checkGradient(of: { $0.gathering(alongAxis: 0, indices: Tensor(shape: [3, 2], scalars: [1, 0, 1, 1, 0, 1])) },
                          at: seededUniform([2, 2], seed: 112))
    }

    @Test func oneHot() {
        expectTensor(Tensor.oneHot([2, 0, 2], classCount: 3), shape: [3, 3], [0, 0, 1, 1, 0, 0, 0, 0, 1])
        #expect(Tensor.oneHot([], classCount: 4).shape == [0, 4])
        #expect(Tensor.oneHot([0], classCount: 1).scalars == [1])
        // Picking with a one-hot matrix equals gathering the labels.
        let logits = seededUniform([3, 3], seed: 113)
        let picked = (logits * Tensor.oneHot([2, 0, 1], classCount: 3)).sum(alongAxes: [1], keepingDimensions: true)
        expectTensor(picked, logits.gathering(alongAxis: 1, indices: Tensor(shape: [3, 1], scalars: [2, 0, 1])))
    }
}
