import Testing
import Tensor
import Layers

/// Modules inside a checkpointed region: batch norm counts the batch in its running statistics
/// once, dropout replays its masks, and ResNet's checkpointed stem trains exactly as the
/// plain one.
@Suite struct CheckpointedModuleTests {
    /// One training step's loss, every parameter gradient and every running statistic.
    private func trainingStep(_ model: Module, images: Tensor, labels: [Int]) -> (loss: Float, state: [String: [Float]]) {
        model.train()
        let loss = crossEntropy(logits: model(images), labels: labels)
        loss.backward()
        var state: [String: [Float]] = [:]
        for (name, parameter) in model.namedParameters() {
            state["grad " + name] = parameter.grad?.scalars ?? []
        }
        for (name, tensor) in model.stateDictionary() where name.contains("running") {
            state[name] = tensor.scalars
        }
        return (loss.scalar, state)
    }

    @Test func resNetWithCheckpointedStemTrainsExactlyAsThePlainOne() {
        var generator = RandomGenerator(seed: 41)
        let images = Tensor.normal([3, 1, 40, 40], generator: &generator)
        let labels = [0, 1, 1]
        func step(checkpointsStem: Bool) -> (loss: Float, state: [String: [Float]]) {
            let model = ResNet.resnet18(inputChannels: 1, classCount: 2, seed: 3)
            model.checkpointsStem = checkpointsStem
            return trainingStep(model, images: images, labels: labels)
        }
        let (plain, checkpointed) = (step(checkpointsStem: false), step(checkpointsStem: true))
        #expect(checkpointed.loss == plain.loss)
        #expect(plain.state["grad conv1.weight"]?.isEmpty == false)
        #expect(plain.state["bn1.running_mean"] != nil)
        for (name, values) in plain.state {
            #expect(checkpointed.state[name] == values, "\(name)")  // running statistics updated once, not twice
        }
    }

    @Test func dropoutInsideARegionReplaysItsMask() {
        func model() -> Sequential {
            var generator = RandomGenerator(seed: 42)
            return Sequential(Linear(6, 16, generator: &generator), ReLU(), Dropout(probability: 0.5, seed: 9),
                              Linear(16, 3, generator: &generator))
        }
        var generator = RandomGenerator(seed: 43)
        let input = Tensor.normal([8, 6], generator: &generator)
        func twoSteps(checkpointed: Bool) -> [[Float]] {
            let net = model()
            var results: [[Float]] = []
            for _ in 0..<2 {  // the second step shows the generator advanced once per step
                let output = checkpointed ? checkpoint(input) { net($0) } : net(input)
                output.sum().backward()
                results.append(output.scalars)
                results += net.parameters.map { $0.grad?.scalars ?? [] }
                net.parameters.forEach { $0.zeroGradient() }
            }
            return results
        }
        let plain = twoSteps(checkpointed: false)
        #expect(plain[0] != plain[plain.count / 2], "the two steps should draw different masks")
        #expect(twoSteps(checkpointed: true) == plain)
    }
}
