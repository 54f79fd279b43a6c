import Testing
import Tensor

/// Parameter: a reference holding values and an accumulated gradient, written in place by
/// optimizers, and frozen on request.
@Suite struct ParameterTests {
    @Test func valueAndShape() {
        let p = Parameter(Tensor(shape: [2, 2], scalars: [1, 2, 3, 4]))
        #expect(p.shape == [2, 2])
        #expect(p.value.scalars == [1, 2, 3, 4])
        #expect(p.requiresGradient)
        #expect(p.value.requiresGradient)
        #expect(p.grad == nil)
    }

    @Test func initDetachesItsValue() {
        // A parameter made from an intermediate result becomes a fresh leaf.
        let x = Tensor([1, 2]).requiringGradient()
        let p = Parameter(x * 2)
        #expect(p.value.gradNode?.isLeaf == true)
    }

    @Test func gradientAccumulatesAcrossUsesAndSteps() throws {
        let p = Parameter(Tensor([1, 2, 3]))
        // Used twice in one graph: the gradients add up (fan-out).
        let loss = (p.value * 2 + p.value.squared()).sum()
        loss.backward()
        expectTensor(try #require(p.grad), shape: [3], [4, 6, 8])
        // A second step accumulates.
        p.value.sum().backward()
        expectTensor(try #require(p.grad), shape: [3], [5, 7, 9])
        p.zeroGradient()
        #expect(p.grad == nil)
    }

    @Test func gradientCanBeSetAndCleared() {
        let p = Parameter(Tensor([1, 2]))
        p.grad = Tensor([0.5, 0.5])
        #expect(p.grad?.scalars == [0.5, 0.5])
        p.grad = nil
        #expect(p.grad == nil)
    }

    @Test func updateWritesInPlace() {
        let p = Parameter(Tensor([1, 2, 3]))
        let shared = p  // a layer and an optimizer hold the same object
        p.update { buffer in
            for i in 0..<buffer.count { buffer[i] -= 0.5 }
        }
        #expect(shared.value.scalars == [0.5, 1.5, 2.5])
        let returned = p.update { $0.count }
        #expect(returned == 3)
    }

    @Test func updateDoesNotChangeAGraphThatSavedTheOldValues() throws {
        let p = Parameter(Tensor([2, 3]))
        let x = Tensor([1, 1]).requiringGradient()
        let loss = (x * p.value).sum()  // the multiply rule saved p's values
        let valuesBefore = p.value
        p.update { $0[0] = 100 }
        loss.backward()
        expectTensor(try #require(x.grad), shape: [2], [2, 3])
        // A tensor read before the update keeps its values.
        #expect(valuesBefore.scalars == [2, 3])
        #expect(p.value.scalars == [100, 3])
    }

    @Test func assigningValueKeepsTheGradient() throws {
        let p = Parameter(Tensor([1, 2]))
        (p.value * 3).sum().backward()
        p.value = Tensor([5, 6])
        #expect(p.value.scalars == [5, 6])
        #expect(p.value.requiresGradient)
        expectTensor(try #require(p.grad), shape: [2], [3, 3])
        // Values assigned from a graph are detached from it.
        let x = Tensor([1, 1]).requiringGradient()
        p.value = x * 4
        #expect(p.value.gradNode?.isLeaf == true)
    }

    @Test func frozenParameterRecordsNothing() throws {
        let frozen = Parameter(Tensor([1, 2]), requiresGradient: false)
        let trained = Parameter(Tensor([3, 4]))
        #expect(frozen.value.requiresGradient == false)
        #expect((frozen.value * 2).requiresGradient == false)
        (frozen.value * trained.value).sum().backward()
        #expect(frozen.grad == nil)
        expectTensor(try #require(trained.grad), shape: [2], [1, 2])
        // Unfreezing makes it trainable again.
        frozen.requiresGradient = true
        (frozen.value * trained.value).sum().backward()
        expectTensor(try #require(frozen.grad), shape: [2], [3, 4])
    }

    @Test func valueInsideWithoutGradientsRecordsNothing() {
        let p = Parameter(Tensor([1, 2]))
        let y = withoutGradients { p.value * p.value }
        #expect(y.requiresGradient == false)
    }
}
