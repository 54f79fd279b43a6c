import Foundation
import Optim
import Serialization
import Tensor
import Testing

/// The optimizers exercised by the resume tests, each with its stateful options on.
enum OptimizerKind: String, CaseIterable, Sendable {
    case sgd, adam, adamW, rmsProp, adagrad

    func make(_ groups: [ParameterGroup]) -> any Optimizer {
        switch self {
        case .sgd: return SGD(groups: groups, learningRate: 0.05, momentum: 0.9, weightDecay: 1e-3, nesterov: true)
        case .adam: return Adam(groups: groups, learningRate: 0.05, weightDecay: 1e-3, amsgrad: true)
        case .adamW: return AdamW(groups: groups, learningRate: 0.05)
        case .rmsProp: return RMSProp(groups: groups, learningRate: 0.01, weightDecay: 1e-3, momentum: 0.5, centered: true)
        case .adagrad: return Adagrad(groups: groups, learningRate: 0.1, learningRateDecay: 0.01, initialAccumulatorValue: 0.1)
        }
    }
}

/// A small regression model trained with a warmup-cosine schedule, a plateau scheduler and
/// gradient clipping: everything whose state a resumed run must restore.
final class ResumableRun {
    static let lateStart = 8
    static let schedule = LinearWarmup(steps: 3, then: CosineAnnealing(base: 1, steps: 20, minimum: 0.05))
    static let (inputs, targets): (Tensor, Tensor) = {
        var generator = RandomGenerator(seed: 7)
        return (Tensor.normal([6, 3], generator: &generator), Tensor.normal([6, 2], generator: &generator))
    }()

    let weight: Parameter, bias: Parameter
    /// Used only from step ``lateStart``: it has no state yet when the run is saved.
    let late: Parameter
    let optimizer: any Optimizer
    var plateau = ReduceOnPlateau(learningRate: 1, factor: 0.7, patience: 0, threshold: 0.02)

    init(kind: OptimizerKind, seed: UInt64) {
        var generator = RandomGenerator(seed: seed)
        weight = Parameter(Tensor.normal([3, 2], generator: &generator))
        bias = Parameter(Tensor.normal([2], generator: &generator))
        late = Parameter(Tensor.normal([2], generator: &generator))
        optimizer = kind.make([ParameterGroup(parameters: [weight], learningRate: 0.02),
                               ParameterGroup(parameters: [bias, late])])
    }

    var parameters: [Parameter] { [weight, bias, late] }

    func train(steps: Int) {
        for _ in 0..<steps {
            optimizer.learningRate = 0.05 * Self.schedule.learningRate(at: optimizer.stepCount) * plateau.learningRate
            var output = Tensor.matmul(Self.inputs, weight.value) + bias.value
            if optimizer.stepCount >= Self.lateStart { output = output * late.value }
            let loss = (output - Self.targets).squared().mean()
            loss.backward()
            clipGradientNorm(parameters, maxNorm: 0.5)
            optimizer.step()
            optimizer.zeroGradients()
            plateau.observe(loss.scalar)
        }
    }

    func save(to url: URL) throws {
        try optimizer.saveState(to: url, including: ["weight": weight.value, "bias": bias.value, "late": late.value],
                                metadata: plateau.stateMetadata())
    }

    func load(from url: URL) throws {
        let file = try optimizer.loadState(from: url)
        weight.value = try #require(file["weight"])
        bias.value = try #require(file["bias"])
        late.value = try #require(file["late"])
        try plateau.loadState(metadata: file.metadata)
    }
}

@Suite("Optimizer state saves, loads and resumes")
struct OptimizerStateTests {
    func temporaryFile() -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("optim-\(UUID().uuidString).safetensors")
    }

    @Test(arguments: OptimizerKind.allCases)
    func resumedRunIsBitIdentical(kind: OptimizerKind) throws {
        let (total, split) = (14, 5)
        let straight = ResumableRun(kind: kind, seed: 1)
        straight.train(steps: total)

        let first = ResumableRun(kind: kind, seed: 1)
        first.train(steps: split)
        let url = temporaryFile()
        defer { try? FileManager.default.removeItem(at: url) }
        try first.save(to: url)

        // Fresh objects: other initial values, another learning rate, no state.
        let resumed = ResumableRun(kind: kind, seed: 99)
        resumed.optimizer.learningRate = 123
        try resumed.load(from: url)
        #expect(resumed.optimizer.stepCount == split)
        resumed.train(steps: total - split)

        for (a, b) in zip(straight.parameters, resumed.parameters) {
            #expect(a.value.scalars == b.value.scalars, "\(kind): resumed parameters differ")
        }
        #expect(straight.plateau == resumed.plateau)
        #expect(straight.optimizer.stateMetadata() == resumed.optimizer.stateMetadata())
        let (stateA, stateB) = (straight.optimizer.stateTensors(), resumed.optimizer.stateTensors())
        #expect(Set(stateA.keys) == Set(stateB.keys))
        for (key, tensor) in stateA { #expect(tensor.scalars == stateB[key]?.scalars, "\(kind): \(key)") }
    }

    @Test func stateNamesFollowPyTorch() {
        let a = Parameter(Tensor([1, 2])), b = Parameter(Tensor(shape: [2, 2], scalars: [1, 2, 3, 4]))
        let optimizer = Adam(parameters: [a], groups: [ParameterGroup(parameters: [b])], amsgrad: true)
        a.grad = Tensor([1, 1])
        b.grad = Tensor(shape: [2, 2], repeating: 1)
        optimizer.step()
        let tensors = optimizer.stateTensors()
        #expect(Set(tensors.keys) == [
            "optimizer.group0.param0.exp_avg", "optimizer.group0.param0.exp_avg_sq", "optimizer.group0.param0.max_exp_avg_sq",
            "optimizer.group1.param0.exp_avg", "optimizer.group1.param0.exp_avg_sq", "optimizer.group1.param0.max_exp_avg_sq",
        ])
        #expect(tensors["optimizer.group1.param0.exp_avg"]?.shape == [2, 2])
        // First moment after one step: (1 − β₁)·g = 0.1.
        expectClose(tensors["optimizer.group1.param0.exp_avg"]!.scalars, [0.1, 0.1, 0.1, 0.1], "exp_avg")
        #expect(optimizer.stateMetadata().keys.sorted() == ["optimizer"])
    }

    /// An Adam over two parameters after one step, and its saved state.
    func savedAdam() -> (tensors: [String: Tensor], metadata: [String: String]) {
        let a = Parameter(Tensor([1, 2])), b = Parameter(Tensor([3]))
        let optimizer = Adam(parameters: [a, b])
        a.grad = Tensor([1, 1])
        b.grad = Tensor([1])
        optimizer.step()
        return (optimizer.stateTensors(), optimizer.stateMetadata())
    }

    @Test func loadErrorsNameTheEntry() {
        let (tensors, metadata) = savedAdam()
        let target = Adam(parameters: [Parameter(Tensor([0, 0])), Parameter(Tensor([0]))])

        var missing = tensors
        missing["optimizer.group0.param1.exp_avg_sq"] = nil
        #expect(throws: OptimizerStateError.missingTensor(key: "optimizer.group0.param1.exp_avg_sq")) {
            try target.loadState(tensors: missing, metadata: metadata)
        }

        var misshaped = tensors
        misshaped["optimizer.group0.param0.exp_avg"] = Tensor([1, 2, 3])
        #expect(throws: OptimizerStateError.shapeMismatch(key: "optimizer.group0.param0.exp_avg", expected: [2], found: [3])) {
            try target.loadState(tensors: misshaped, metadata: metadata)
        }

        var extra = tensors
        extra["optimizer.group0.param0.momentum_buffer"] = Tensor([1, 2])
        #expect(throws: OptimizerStateError.unexpectedTensor(key: "optimizer.group0.param0.momentum_buffer")) {
            try target.loadState(tensors: extra, metadata: metadata)
        }

        #expect(throws: OptimizerStateError.missingMetadata(key: "optimizer")) {
            try target.loadState(tensors: tensors, metadata: [:])
        }
        #expect(throws: OptimizerStateError.self) { try target.loadState(tensors: tensors, metadata: ["optimizer": "{"]) }

        #expect(throws: OptimizerStateError.optimizerMismatch(expected: "AdamW", found: "Adam")) {
            try AdamW(parameters: [Parameter(Tensor([0, 0])), Parameter(Tensor([0]))]).loadState(tensors: tensors, metadata: metadata)
        }
        #expect(throws: OptimizerStateError.parameterCountMismatch(group: 0, expected: 1, found: 2)) {
            try Adam(parameters: [Parameter(Tensor([0, 0]))]).loadState(tensors: tensors, metadata: metadata)
        }
        #expect(throws: OptimizerStateError.groupCountMismatch(expected: 2, found: 1)) {
            try Adam(groups: [ParameterGroup(parameters: [Parameter(Tensor([0, 0]))]),
                              ParameterGroup(parameters: [Parameter(Tensor([0]))])])
                .loadState(tensors: tensors, metadata: metadata)
        }
        #expect(OptimizerStateError.missingTensor(key: "optimizer.group0.param1.sum").description.contains("optimizer.group0.param1.sum"))
    }

    @Test func failedLoadChangesNothing() throws {
        let (tensors, metadata) = savedAdam()
        let parameter = Parameter(Tensor([5, 6])), other = Parameter(Tensor([7]))
        let target = Adam(parameters: [parameter, other], learningRate: 0.5)
        parameter.grad = Tensor([2, 2])
        target.step()
        let (before, beforeMetadata) = (target.stateTensors(), target.stateMetadata())
        var broken = tensors
        broken["optimizer.group0.param1.exp_avg"] = nil
        #expect(throws: OptimizerStateError.self) { try target.loadState(tensors: broken, metadata: metadata) }
        #expect(target.stateMetadata() == beforeMetadata)
        #expect(target.learningRate == 0.5)
        let after = target.stateTensors()
        #expect(Set(after.keys) == Set(before.keys))
        for (key, tensor) in before { #expect(after[key]?.scalars == tensor.scalars) }

        // The intact state loads, ignoring the model's own tensors.
        var withModel = tensors
        withModel["fc.weight"] = Tensor([1])
        try target.loadState(tensors: withModel, metadata: metadata)
        #expect(target.learningRate == 1e-3)
        #expect(target.stepCount == 1)
    }

    @Test func missingFileThrows() {
        let optimizer = SGD(parameters: [Parameter(Tensor([1]))])
        let url = temporaryFile()
        #expect(throws: SerializationError.self) { try optimizer.loadState(from: url) }
    }
}
