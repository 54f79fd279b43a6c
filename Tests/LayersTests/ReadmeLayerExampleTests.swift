import Testing
import Tensor
import Layers

// The README's example of a user-defined layer: parts are plain properties, found by name.

final class ResidualBlock: Module {
    let conv1: Conv2D, bn1: BatchNorm2D, conv2: Conv2D, bn2: BatchNorm2D

    init(channels: Int, generator: inout RandomGenerator) {
        conv1 = Conv2D(channels, channels, kernelSize: 3, padding: .same, bias: false, generator: &generator)
        bn1 = BatchNorm2D(channels)
        conv2 = Conv2D(channels, channels, kernelSize: 3, padding: .same, bias: false, generator: &generator)
        bn2 = BatchNorm2D(channels)
    }

    override func forward(_ x: Tensor) -> Tensor {
        (x + bn2(conv2(bn1(conv1(x)).relu()))).relu()
    }
}

@Suite struct ReadmeLayerExampleTests {
    @Test func userDefinedLayerTrainsOneStep() {
        var rng = RandomGenerator(seed: 42)
        let model = Sequential(
            Conv2D(1, 8, kernelSize: 3, padding: .same, generator: &rng),
            ResidualBlock(channels: 8, generator: &rng),
            GlobalAvgPool2D(),
            Linear(8, 2, generator: &rng))
        let images = Tensor.normal([4, 1, 12, 12], generator: &rng)
        let labels = [0, 1, 1, 0]

        let loss = crossEntropy(logits: model(images), labels: labels)
        loss.backward()
        for p in model.parameters {  // plain SGD (Optim has the real optimizers)
            let g = p.grad!.scalars
            p.update { w in for i in w.indices { w[i] -= 0.1 * g[i] } }
        }

        let names = model.namedParameters().map(\.name)
        #expect(names.contains("1.conv1.weight") && names.contains("1.bn2.bias"))
        #expect(model.namedBuffers().map(\.name).contains("1.bn1.running_mean"))
        #expect(model.parameters.allSatisfy { $0.grad != nil })
        let after = crossEntropy(logits: withoutGradients { model(images) }, labels: labels)
        #expect(after.scalar < loss.scalar, "one SGD step on a fixed batch lowers the loss")
    }

    @Test func memoryExampleFromTheReadme() {
        var rng = RandomGenerator(seed: 7)
        let block = ResidualBlock(channels: 4, generator: &rng)
        let head = Sequential(GlobalAvgPool2D(), Linear(4, 2, generator: &rng))
        let images = Tensor.normal([2, 4, 8, 8], generator: &rng)
        let labels = [0, 1]
        let before = TensorMemory.cacheLimitFactor
        defer { TensorMemory.cacheLimitFactor = before }

        // README: "Memory in training"
        let features = checkpoint(images) { x in block(x) }
        TensorMemory.resetPeak()
        let loss = crossEntropy(logits: head(features), labels: labels)
        loss.backward()
        let peak = TensorMemory.statistics.peakAllocatedBytes
        TensorMemory.cacheLimitFactor = 1.5
        // README ends here.

        #expect(peak > 0)
        #expect(TensorMemory.cacheLimitFactor == 1.5)
        #expect(block.conv1.weight.grad != nil, "the checkpointed block's parameters get gradients")
    }
}
