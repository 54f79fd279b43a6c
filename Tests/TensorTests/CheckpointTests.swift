import Testing
import Tensor

/// Activation checkpointing: the region's intermediate results are freed after the forward
/// pass, the backward pass replays the region, and every gradient is the one the plain tape
/// gives, bit for bit (the replay runs the same kernels on the same values).
@Suite struct CheckpointTests {
    private let x = Tensor.linspace(-1.5, 2, count: 12).reshaped(to: [3, 4])
    private let weight = Tensor.linspace(0.5, -0.7, count: 20).reshaped(to: [4, 5])

    /// A small region: a matrix product with a parameter, then ops that keep their inputs or
    /// outputs on the tape.
    private func region(_ parameter: Parameter) -> (Tensor) -> Tensor {
        { input in (input.matmul(parameter.value).sin() * 2 + input.sum(alongAxis: 1, keepingDimensions: true)).exp() }
    }

    @Test func gradientsEqualThePlainTape() {
        func run(checkpointed: Bool) -> (output: [Float], input: [Float]?, parameter: [Float]?) {
            let parameter = Parameter(weight)
            let input = x.requiringGradient()
            let output = checkpointed ? checkpoint(input, region(parameter)) : region(parameter)(input)
            output.backward(Tensor.linspace(1, -1, count: 15).reshaped(to: [3, 5]))
            return (output.scalars, input.grad?.scalars, parameter.grad?.scalars)
        }
        let (plain, checkpointed) = (run(checkpointed: false), run(checkpointed: true))
        #expect(checkpointed.output == plain.output)
        #expect(checkpointed.input != nil && checkpointed.input == plain.input)
        #expect(checkpointed.parameter != nil && checkpointed.parameter == plain.parameter)
    }

    @Test func gradientsWithRespectToInputsAndParametersEqualThePlainTape() {
        let parameter = Parameter(weight)
        let input = x.requiringGradient()
        let seed = Tensor.ones([3, 5])
        let plain = region(parameter)(input).gradients(withRespectTo: [input, parameter.value], seed: seed)
        let replayed = checkpoint(input, region(parameter)).gradients(withRespectTo: [input, parameter.value], seed: seed)
        #expect(replayed.map { $0?.scalars } == plain.map { $0?.scalars })
        #expect(parameter.grad == nil, "gradients(withRespectTo:) must not accumulate into the parameter")
    }

    @Test func intermediateResultsAreFreedAfterTheForwardPass() {
        let input = x.requiringGradient()
        func intermediateIsFreed(checkpointed: Bool) -> Bool {
            weak var watched: TensorStorage?
            let body = { (t: Tensor) -> Tensor in
                let hidden = t.exp()  // exp keeps its output for the backward pass
                watched = hidden.storageReference
                return hidden.sum()
            }
            let output = checkpointed ? checkpoint(input, body) : body(input)
            defer { output.backward() }
            return watched == nil
        }
        #expect(intermediateIsFreed(checkpointed: true))
        #expect(!intermediateIsFreed(checkpointed: false))
    }

    @Test func regionRunsOnceForwardAndOnceMoreInBackward() {
        var calls = 0
        let parameter = Parameter(weight)
        let body = { (t: Tensor) -> Tensor in calls += 1; return t.matmul(parameter.value) }
        let output = checkpoint(x, body)
        #expect(calls == 1)
        output.sum().backward()
        #expect(calls == 2)
        _ = withoutGradients { checkpoint(x, body) }
        #expect(calls == 3)
    }

    @Test func parametersInsideGetGradientsWhenTheInputNeedsNone() {
        let parameter = Parameter(weight)
        let output = checkpoint(x) { $0.matmul(parameter.value).relu() }
        #expect(output.requiresGradient)
        output.sum().backward()
        let expected = x.transposed().matmul(x.matmul(weight) .> 0)  // Σ over rows of xᵀ where the ReLU passes
        #expect(parameter.grad != nil)
        expectTensor(parameter.grad ?? Tensor.zeros([4, 5]), expected)
    }

    @Test func regionWithNothingTrainableRecordsNothing() {
        let frozen = Parameter(weight, requiresGradient: false)
        let output = checkpoint(x) { $0.matmul(frozen.value) }
        #expect(!output.requiresGradient)
        #expect(output.scalars == x.matmul(weight).scalars)
    }

    @Test func nestedRegionsReplayCorrectly() {
        func run(checkpointed: Bool) -> [Float]? {
            let parameter = Parameter(weight)
            let input = x.requiringGradient()
            let inner = { (t: Tensor) in t.tanh() * 3 }
            let outer = { (t: Tensor) in
                (checkpointed ? checkpoint(t, inner) : inner(t)).matmul(parameter.value).sin()
            }
            let output = checkpointed ? checkpoint(input, outer) : outer(input)
            output.sum().backward()
            guard let gradInput = input.grad, let gradWeight = parameter.grad else { return nil }
            return gradInput.scalars + gradWeight.scalars
        }
        let plain = run(checkpointed: false)
        #expect(plain != nil && run(checkpointed: true) == plain)
    }
}
