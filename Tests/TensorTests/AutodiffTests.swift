import FathomTestSupport
import Foundation
import Testing
import Tensor

/// The tape: seeds, accumulation, fan-out, recording scopes, detaching and the release of the
/// graph after backward.
@Suite struct AutodiffTests {
    @Test func backwardOnAScalar() throws {
        let x = Tensor(shape: [2, 2], scalars: [1, 2, 3, 4]).requiringGradient()
        #expect(x.requiresGradient)
        #expect(x.grad == nil)
        let loss = (x * x).sum()
        #expect(loss.requiresGradient)
        loss.backward()
        expectTensor(try #require(x.grad), shape: [2, 2], [2, 4, 6, 8])
    }

    @Test func backwardOnALeafItself() throws {
        let x = Tensor(Float(3)).requiringGradient()
        x.backward()
        expectTensor(try #require(x.grad), shape: [], [1])
    }

    @Test func explicitSeedForANonScalar() throws {
        let x = Tensor([1, 2, 3]).requiringGradient()
        let y = x * x  // dy/dx = 2x, elementwise
        y.backward(Tensor([1, 0.5, -2]))
        expectTensor(try #require(x.grad), shape: [3], [2, 2, -12])
        // A one-element tensor of any rank takes the default seed of 1.
        let z = Tensor(shape: [1, 1], scalars: [2]).requiringGradient()
        (z * 5).backward()
        expectTensor(try #require(z.grad), shape: [1, 1], [5])
    }

    @Test func gradientsAccumulateAcrossBackwardCallsUntilZeroed() throws {
        let p = Parameter(Tensor([1, 2]))
        (p.value * 3).sum().backward()
        (p.value * p.value).sum().backward()
        // 3 + 2x from the two graphs.
        expectTensor(try #require(p.grad), shape: [2], [5, 7])
        p.zeroGradient()
        #expect(p.grad == nil)
        (p.value * 3).sum().backward()
        expectTensor(try #require(p.grad), shape: [2], [3, 3])
    }

    @Test func leafTensorGradientsAccumulateToo() throws {
        let x = Tensor([1, 2]).requiringGradient()
        (x * 2).sum().backward()
        (x * 2).sum().backward()
        expectTensor(try #require(x.grad), shape: [2], [4, 4])
    }

    @Test func fanOutSumsTheGradients() throws {
        let x = Tensor([1, 2, 3]).requiringGradient()
        // x reaches the loss along three paths, one of them through a shared intermediate.
        let h = x.exp()
        let loss = (h + h * x + x).sum()
        loss.backward()
        let expected = x.scalars.map { v -> Float in
            let e = Float(Foundation.exp(Double(v)))
            return e + (e * v + e) + 1
        }
        expectTensor(try #require(x.grad), shape: [3], expected, relative: 1e-5)
        // A diamond: one node feeding two branches that meet again.
        checkGradient(of: { x in
            let shared = x.sin()
            return shared.squared() + shared * x
        }, at: seededUniform([4], seed: 131))
    }

    @Test func withoutGradientsRecordsNothing() {
        let x = Tensor([1, 2]).requiringGradient()
        let p = Parameter(Tensor([3, 4]))
        let y = withoutGradients { (x * p.value).exp().sum() }
        #expect(y.requiresGradient == false)
        #expect(y.gradNode == nil)
        // Recording resumes after the scope.
        #expect((x * 2).requiresGradient)
        // Nested scopes.
        let z = withoutGradients { withoutGradients { x + 1 } + x }
        #expect(z.requiresGradient == false)
    }

    @Test func withoutGradientsAsync() async {
        let x = Tensor([1, 2]).requiringGradient()
        let y = await withoutGradients { () async -> Tensor in
            await Task.yield()
            return x * x
        }
        #expect(y.requiresGradient == false)
    }

    @Test func detachedStopsTheGradient() throws {
        let x = Tensor([1, 2, 3]).requiringGradient()
        let d = x.detached()
        #expect(d.requiresGradient == false)
        #expect(d.scalars == x.scalars)
        #expect(d.sharesStorage(with: x))
        // y = x · stopgrad(x): dy/dx = x, not 2x.
        (x * x.detached()).sum().backward()
        expectTensor(try #require(x.grad), shape: [3], [1, 2, 3])
    }

    @Test func constantsDoNotRecord() {
        let a = Tensor([1, 2]), b = Tensor([3, 4])
        #expect((a * b + 1).exp().sum().requiresGradient == false)
        #expect(Tensor.matmul(a, b).gradNode == nil)
    }

    @Test func intermediateTensorsHaveNoGrad() throws {
        let x = Tensor([1, 2]).requiringGradient()
        let h = x * 2
        (h * h).sum().backward()
        // Only leaves accumulate.
        #expect(h.grad == nil)
        #expect(h.gradNode?.isLeaf == false)
        #expect(x.gradNode?.isLeaf == true)
        expectTensor(try #require(x.grad), shape: [2], [8, 16])
    }

    @Test func graphIsReleasedAfterBackward() throws {
        weak var intermediate: GradNode?
        weak var sumNode: GradNode?
        let x = Tensor(shape: [64, 64], repeating: 0.5).requiringGradient()
        let loss: Tensor
        do {
            // Two intermediate results whose nodes save tensors in their rules.
            let h = x.exp()
            let s = (h * h).sum(alongAxes: [1])
            intermediate = h.gradNode
            sumNode = s.gradNode
            loss = s.mean()
        }
        // The loss keeps the graph alive...
        #expect(intermediate != nil)
        #expect(sumNode != nil)
        loss.backward()
        // ...and backward frees every node behind it, with the tensors their rules saved.
        #expect(intermediate == nil)
        #expect(sumNode == nil)
        #expect(try #require(x.grad).shape == [64, 64])
        #expect(x.gradNode != nil)  // the leaf stays, holding its gradient
    }

    @Test func opNamesAreRecorded() {
        let x = Tensor([1, 2]).requiringGradient()
        #expect((x + x).gradNode?.op == "add")
        #expect(x.exp().gradNode?.op == "exp")
        #expect(Tensor.matmul(x, x).gradNode != nil)
        #expect(x.gradNode?.op == "leaf")
    }

    @Test func requiringGradientStartsANewLeaf() throws {
        let x = Tensor([1, 2]).requiringGradient()
        let h = (x * 3).requiringGradient()  // cuts the history
        (h * h).sum().backward()
        expectTensor(try #require(h.grad), shape: [2], [6, 12])
        #expect(x.grad == nil)
    }

    @Test func sizeZeroInputsGetEmptyGradientsOfTheirShape() throws {
        let ops: [(String, (Tensor) -> Tensor)] = [
            ("exp", { $0.exp() }),
            ("sum over the empty axis", { $0.sum(alongAxes: [0]) }),
            ("max over the full axis", { $0.max(alongAxes: [1]) }),
            ("softmax", { $0.softmax() }),
            ("logSoftmax", { $0.logSoftmax(alongAxis: 0) }),
            ("matmul", { Tensor.matmul($0, Tensor.ones([3, 2])) }),
            ("matmul empty inner", { Tensor.matmul($0, Tensor.ones([0, 2]), transposingA: true) }),
            ("transposed", { $0.transposed() }),
            ("expanded", { $0.unsqueezed(at: 0).expanded(to: [2, 0, 3]) }),
            ("slice", { $0.slice(alongAxis: 1, start: 1) }),
            ("padded", { $0.padded([(before: 1, after: 1), (before: 0, after: 0)]) }),
            ("concatenate", { Tensor.concatenate([$0, Tensor.ones([2, 3])]) }),
            ("taking", { $0.taking([2, 2], alongAxis: 1) }),
            ("broadcast add", { $0 + Tensor([1, 2, 3]) }),
            ("variance", { $0.variance(alongAxes: [1]) }),
        ]
        for (name, op) in ops {
            let x = Tensor.zeros([0, 3]).requiringGradient()
            op(x).sum().backward()
            let grad = try #require(x.grad, "\(name): no gradient")
            #expect(grad.shape == [0, 3], "\(name)")
        }
    }

    @Test func deepChainDoesNotOverflowTheStack() throws {
        let x = Tensor([1]).requiringGradient()
        var y = x
        for _ in 0..<20_000 { y = y + 0 }
        y.sum().backward()
        expectTensor(try #require(x.grad), shape: [1], [1])
    }

    @Test func droppingADeepGraphWithoutBackwardDoesNotOverflowTheStack() {
        // A running total that is never differentiated (the classic forgotten `detach`):
        // releasing its 200 000-node history must not recurse once per node.
        weak var first: GradNode?
        let x = Tensor([1]).requiringGradient()
        do {
            var total = x * 1
            first = total.gradNode
            for _ in 0..<200_000 { total = total + x }
            #expect(total.scalars == [200_001])
        }
        #expect(first == nil)
    }

    @Test func gradientsWithRespectToLeaveLeavesUntouched() throws {
        let p = Parameter(Tensor([1, 2]))
        let x = Tensor([3, 4]).requiringGradient()
        let y = (p.value * x).sum()
        let grads = y.gradients(withRespectTo: [x, p.value])
        expectTensor(try #require(grads[0]), shape: [2], [1, 2])
        expectTensor(try #require(grads[1]), shape: [2], [3, 4])
        #expect(p.grad == nil)
        #expect(x.grad == nil)
        // An input the result does not depend on gets nil.
        let z = Tensor([1]).requiringGradient()
        let unrelated = (x * 2).sum().gradients(withRespectTo: [z])
        #expect(unrelated[0] == nil)
    }

    @Test func customOpsJoinTheTapeThroughRecord() throws {
        // A user-defined cube with its own rule.
        func cube(_ x: Tensor) -> Tensor {
            let y = Tensor(shape: x.shape, scalars: x.scalars.map { $0 * $0 * $0 })
            return Tensor.record("cube", result: y, inputs: [x]) { g in [g * 3 * x.detached().squared()] }
        }
        checkGradient(of: cube, at: seededUniform([5], seed: 132))
        // Without an input that requires gradients, the result is returned untouched.
        #expect(cube(Tensor([2])).requiresGradient == false)
        #expect(withoutGradients { cube(Tensor([2]).requiringGradient()) }.requiresGradient == false)
    }
}
