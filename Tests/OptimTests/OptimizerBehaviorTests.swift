import Optim
import Tensor
import Testing

/// A custom rule (sign descent with a step counter in its state) run by the shared machinery.
struct SignDescentRule: UpdateRule {
    var learningRate: Float
    var weightDecay: Float = 0
    var stateNames: [String] { ["updates"] }

    func update(_ buffers: UpdateBuffers, range: Range<Int>, step: Int) {
        let counter = buffers.state(0)
        for i in range {
            let g = buffers.gradient[i]
            buffers.parameter[i] -= learningRate * (g > 0 ? 1 : (g < 0 ? -1 : 0))
            counter[i] = Float(step)
        }
    }
}

@Suite("Optimizer groups, skipping and learning rates")
struct OptimizerBehaviorTests {
    @Test func groupsUseTheirOwnHyperparameters() {
        let backbone = Parameter(Tensor([1.0, -2.0]))
        let head = Parameter(Tensor([0.5, 4.0]))
        let optimizer = SGD(groups: [ParameterGroup(parameters: [backbone], learningRate: 0.01, weightDecay: 0.5),
                                     ParameterGroup(parameters: [head])],
                            learningRate: 0.1, weightDecay: 0)
        backbone.grad = Tensor([0.2, 0.4])
        head.grad = Tensor([-1.0, 2.0])
        optimizer.step()
        // backbone: θ − 0.01·(g + 0.5θ); head: θ − 0.1·g.
        expectClose(backbone.value.scalars, [1 - 0.01 * (0.2 + 0.5), -2 - 0.01 * (0.4 - 1.0)], "backbone")
        expectClose(head.value.scalars, [0.5 + 0.1, 4 - 0.2], "head")
        #expect(optimizer.groupCount == 2)
        #expect(optimizer.hyperparameters(ofGroup: 0).weightDecay == 0.5)
        #expect(optimizer.hyperparameters(ofGroup: 1).weightDecay == 0)
    }

    @Test func settingTheLearningRateKeepsGroupRatios() {
        let a = Parameter(Tensor([1.0])), b = Parameter(Tensor([1.0]))
        let optimizer = Adam(groups: [ParameterGroup(parameters: [a], learningRate: 1e-4), ParameterGroup(parameters: [b])],
                             learningRate: 1e-3)
        #expect(optimizer.learningRate == 1e-3)
        optimizer.learningRate = 0.5
        #expect(optimizer.learningRate == 0.5)
        #expect(abs(optimizer.learningRate(ofGroup: 0) - 0.05) <= 1e-7)
        #expect(optimizer.learningRate(ofGroup: 1) == 0.5)
        optimizer.setLearningRate(0.25, ofGroup: 1)
        #expect(optimizer.learningRate(ofGroup: 1) == 0.25)
        #expect(abs(optimizer.learningRate(ofGroup: 0) - 0.05) <= 1e-7)
    }

    @Test func frozenAndGradientlessParametersAreSkipped() {
        let frozen = Parameter(Tensor([1.0, 2.0]), requiresGradient: false)
        let noGradient = Parameter(Tensor([3.0]))
        let trained = Parameter(Tensor([5.0]))
        let optimizer = Adam(parameters: [frozen, noGradient, trained], learningRate: 0.1)
        frozen.grad = Tensor([1.0, 1.0])
        trained.grad = Tensor([1.0])
        optimizer.step()
        #expect(frozen.value.scalars == [1.0, 2.0])
        #expect(noGradient.value.scalars == [3.0])
        #expect(trained.value.scalars != [5.0])
        // Only the trained parameter has state.
        #expect(Set(optimizer.stateTensors().keys) == ["optimizer.group0.param2.exp_avg", "optimizer.group0.param2.exp_avg_sq"])
    }

    /// A parameter skipped at first starts its own step count when it joins: its first update
    /// is Adam's first update (bias corrections at t = 1), not the optimizer's second.
    @Test func skippedParameterStartsItsOwnStepCount() {
        let late = Parameter(Tensor([2.0]), requiresGradient: false)
        let other = Parameter(Tensor([1.0]))
        let optimizer = Adam(parameters: [late, other], learningRate: 0.1)
        other.grad = Tensor([1.0])
        optimizer.step()
        late.requiresGradient = true
        late.grad = Tensor([0.5])
        optimizer.step()
        // First Adam update: m̂ = g, v̂ = g², θ − 0.1·g/(|g| + 1e-8).
        expectClose(late.value.scalars, [2.0 - 0.1 * 0.5 / (0.5 + 1e-8)], "late parameter")
        #expect(optimizer.stepCount == 2)
    }

    @Test func zeroGradientsDropsEveryGradient() {
        let a = Parameter(Tensor([1.0])), b = Parameter(Tensor([2.0]))
        let optimizer = SGD(parameters: [a], groups: [ParameterGroup(parameters: [b])], learningRate: 0.1)
        a.grad = Tensor([1.0])
        b.grad = Tensor([1.0])
        optimizer.zeroGradients()
        #expect(a.grad == nil)
        #expect(b.grad == nil)
    }

    @Test func gradientsFromTheTapeDriveTheUpdate() {
        // loss = Σ (θ − c)², dloss/dθ = 2(θ − c): one SGD step with γ = 0.25 halves the distance.
        let parameter = Parameter(Tensor([3.0, -1.0]))
        let target = Tensor([1.0, 1.0])
        let optimizer = SGD(parameters: [parameter], learningRate: 0.25)
        let difference = parameter.value - target
        (difference * difference).sum().backward()
        optimizer.step()
        expectClose(parameter.value.scalars, [2.0, 0.0], "after one step")
    }

    @Test func customRuleRunsOnTheSharedMachinery() {
        let parameter = Parameter(Tensor([1, 1, 1]))
        let optimizer = ParameterOptimizer(parameters: [parameter], defaults: SignDescentRule(learningRate: 0.5))
        for _ in 0..<2 {
            parameter.grad = Tensor([3, 0, -0.1])
            optimizer.step()
        }
        #expect(parameter.value.scalars == [0, 1, 2])
        #expect(optimizer.stateTensors()["optimizer.group0.param0.updates"]?.scalars == [2, 2, 2])
        #expect(optimizer.hyperparameters(ofGroup: 0) == SignDescentRule(learningRate: 0.5))
    }
}
