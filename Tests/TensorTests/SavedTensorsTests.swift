import Testing
import Tensor

/// The tape keeps alive exactly the tensors that gradient rules read. Everything an op keeps
/// stays in memory until `backward()`, so a rule that captures an operand it only needs the
/// shape of holds a whole activation for nothing (ResNet's residual sums once kept two per
/// block). Each case builds an intermediate result backed by storage the test watches, feeds
/// it to one op, drops every other reference and checks whether the storage was freed; the
/// controls are ops whose gradient does read that operand, so the check can fail.
@Suite struct SavedTensorsTests {
    /// Whether the storage of an intermediate `h` (on the tape, requiring a gradient) is freed
    /// once only the result of `op(h, x)` refers to the graph. `x` is a leaf requiring a
    /// gradient, of the same shape. Also runs `backward()` through the result, which must
    /// still reach `x` (through `h`).
    private func releasesIntermediate(shape: [Int] = [4, 6], _ op: (_ h: Tensor, _ x: Tensor) -> Tensor) -> Bool {
        let x = Tensor.linspace(0.5, 2, count: shape.reduce(1, *)).reshaped(to: shape).requiringGradient()
        weak var watched: TensorStorage?
        var result: Tensor
        do {
            let storage = TensorStorage(count: shape.reduce(1, *), repeating: 1.5)
            watched = storage
            let h = Tensor.record("intermediate", result: Tensor(shape: shape, storage: storage), inputs: [x]) { [$0] }
            result = op(h, x)
        }
        let freed = watched == nil
        result.sum().backward()
        #expect(x.grad != nil, "backward() no longer reaches x")
        return freed
    }

    private let constant = Tensor.linspace(1, 3, count: 24).reshaped(to: [4, 6])

    @Test func sumsAndDifferencesKeepNeitherOperand() {
        #expect(releasesIntermediate { h, x in h + x })
        #expect(releasesIntermediate { h, x in x - h })
        #expect(releasesIntermediate { h, _ in h + Tensor(1) })
    }

    @Test func productsKeepOnlyTheOperandTheOtherGradientReads() {
        #expect(releasesIntermediate { h, _ in h * constant })  // dh reads the constant only
        #expect(!releasesIntermediate { h, x in h * x })        // dx reads h
        #expect(releasesIntermediate { h, _ in h / constant })
        #expect(!releasesIntermediate { h, _ in constant / h })  // dh reads h (and the quotient)
    }

    @Test func matrixProductsKeepOnlyWhatTheOtherGradientReads() {
        let weight = Tensor.linspace(-1, 1, count: 18).reshaped(to: [6, 3])
        #expect(releasesIntermediate { h, _ in h.matmul(weight) })
        #expect(!releasesIntermediate { h, _ in h.matmul(weight.requiringGradient()) })
    }

    @Test func shapeOpsKeepOnlyTheShape() {
        #expect(releasesIntermediate { h, _ in h.slice(alongAxis: 1, start: 1, end: 4) })
        #expect(releasesIntermediate { h, _ in h.padded([(1, 0), (0, 2)]) })
        #expect(releasesIntermediate { h, _ in h.reshaped(to: [4, 1, 6]).expanded(to: [4, 3, 6]) })
        #expect(releasesIntermediate { h, _ in h.sum(alongAxis: 0) })
        #expect(releasesIntermediate { h, x in Tensor.concatenate([h, x], alongAxis: 0) })
        #expect(releasesIntermediate { h, _ in h.taking([2, 0, 2], alongAxis: 1) })
        #expect(releasesIntermediate { h, _ in h.gathering(alongAxis: 1, indices: Tensor.zeros([4, 2])) })
        #expect(releasesIntermediate { h, x in Tensor.where(constant .> 2, h, x) })
    }

    @Test func activationsKeepWhatTheirDerivativeReads() {
        #expect(releasesIntermediate { h, _ in h.relu() })   // the derivative reads the output
        #expect(releasesIntermediate { h, _ in h.exp() })
        #expect(!releasesIntermediate { h, _ in h.sin() })   // cos(h) reads the input
        #expect(!releasesIntermediate { h, _ in h.max(alongAxes: [1]) })  // the mask compares with h
    }
}
