import Foundation
import Testing
import Tensor
import Layers
import FathomTestSupport

// Layers with several inputs and outputs (`Layer`): a masked attention block, a two-headed
// model on it, and an ordinary one-tensor Module holding that model.

/// Single-head scaled dot-product self-attention over `x` of shape `[batch, tokens, features]`;
/// `mask` (`[tokens, tokens]` or `[batch, tokens, tokens]`) is 1 where a token may attend, 0
/// where not.
private final class MaskedAttention: Module, Layer {
    typealias Input = (x: Tensor, mask: Tensor)
    typealias Output = Tensor

    let query: Linear, key: Linear, value: Linear

    init(features: Int, generator: inout RandomGenerator) {
        query = Linear(features, features, generator: &generator)
        key = Linear(features, features, generator: &generator)
        value = Linear(features, features, generator: &generator)
    }

    func forward(_ input: Input) -> Tensor {
        let scale = 1 / Float(query.outputFeatures).squareRoot()
        let scores = Tensor.matmul(query(input.x), key(input.x), transposingB: true) * scale
        let masked = Tensor.where(input.mask, scores, Tensor(shape: [1], repeating: -1e9))
        return Tensor.matmul(masked.softmax(alongAxis: -1), value(input.x))
    }
}

/// Attention, mean over the tokens, then two heads: class logits and a score in (−1, 1).
private final class TwoHeadedModel: Module, Layer {
    typealias Input = (x: Tensor, mask: Tensor)
    typealias Output = (classes: Tensor, score: Tensor)

    let attention: MaskedAttention
    let classifier: Linear
    let regressor: Linear

    init(features: Int, classes: Int, generator: inout RandomGenerator) {
        attention = MaskedAttention(features: features, generator: &generator)
        classifier = Linear(features, classes, generator: &generator)
        regressor = Linear(features, 1, generator: &generator)
    }

    func forward(_ input: Input) -> Output {
        let pooled = attention(input).mean(alongAxis: 1)
        return (classifier(pooled), regressor(pooled).tanh())
    }

    /// The call with separate arguments.
    func callAsFunction(_ x: Tensor, mask: Tensor) -> Output { self((x, mask)) }
}

/// An ordinary one-tensor module with the two-headed model inside: makes the causal mask and
/// adds the score to every logit.
private final class CausalClassifier: Module {
    let embedding: Linear
    let body: TwoHeadedModel

    init(inputFeatures: Int, features: Int, classes: Int, generator: inout RandomGenerator) {
        embedding = Linear(inputFeatures, features, generator: &generator)
        body = TwoHeadedModel(features: features, classes: classes, generator: &generator)
    }

    override func forward(_ input: Tensor) -> Tensor {
        let heads = body(embedding(input), mask: causalMask(tokens: input.shape[1]))
        return heads.classes + heads.score
    }
}

/// Attention blocks stored as existentials of the protocol: still found by the reflection.
private final class AttentionStack: Module {
    let blocks: [any Layer<(x: Tensor, mask: Tensor), Tensor>]

    init(generator: inout RandomGenerator) {
        blocks = [MaskedAttention(features: 2, generator: &generator), MaskedAttention(features: 2, generator: &generator)]
    }
}

/// 1 on and below the diagonal: token `i` attends to tokens `0…i`.
private func causalMask(tokens: Int) -> Tensor {
    Tensor(shape: [tokens, tokens], scalars: (0..<tokens * tokens).map { $0 % tokens <= $0 / tokens ? 1 : 0 })
}

/// The two heads computed in Double by loops, from the model's parameter values.
private func referenceHeads(_ model: TwoHeadedModel, x: Tensor, mask: Tensor) -> (classes: [Double], score: [Double]) {
    let (batch, tokens, features) = (x.shape[0], x.shape[1], x.shape[2])
    let input = x.scalars.map(Double.init), allowed = mask.scalars
    func linear(_ layer: Linear, _ row: ArraySlice<Double>) -> [Double] {
        let w = layer.weight.value.scalars.map(Double.init), b = layer.bias!.value.scalars.map(Double.init)
        let (outputs, inputs) = (layer.outputFeatures, layer.inputFeatures)
        return (0..<outputs).map { o in b[o] + zip(w[o * inputs..<(o + 1) * inputs], row).reduce(0) { $0 + $1.0 * $1.1 } }
    }
    var classes: [Double] = [], score: [Double] = []
    for n in 0..<batch {
        let rows = (0..<tokens).map { t in input[(n * tokens + t) * features..<(n * tokens + t + 1) * features] }
        let q = rows.map { linear(model.attention.query, $0) }
        let k = rows.map { linear(model.attention.key, $0) }
        let v = rows.map { linear(model.attention.value, $0) }
        var pooled = [Double](repeating: 0, count: features)
        for i in 0..<tokens {
            let visible = (0..<tokens).filter { allowed[i * tokens + $0] != 0 }
            let scores = visible.map { j in zip(q[i], k[j]).reduce(0) { $0 + $1.0 * $1.1 } / Double(features).squareRoot() }
            let top = scores.max()!
            let exps = scores.map { Foundation.exp($0 - top) }
            let total = exps.reduce(0, +)
            for (j, e) in zip(visible, exps) {
                for f in 0..<features { pooled[f] += e / total * v[j][f] / Double(tokens) }
            }
        }
        classes += linear(model.classifier, pooled[...])
        score += linear(model.regressor, pooled[...]).map { Foundation.tanh($0) }
    }
    return (classes, score)
}

/// Both heads as one flat tensor, for the gradient checks.
private func joined(_ heads: (classes: Tensor, score: Tensor)) -> Tensor {
    Tensor.concatenate([heads.classes.reshaped(to: [-1]), heads.score.reshaped(to: [-1])])
}

@Suite struct MultiInputLayerTests {
    @Test func outputsMatchAReferenceComputedInDouble() {
        var rng = RandomGenerator(seed: 11)
        let model = TwoHeadedModel(features: 4, classes: 3, generator: &rng)
        let x = Tensor.normal([2, 3, 4], generator: &rng)
        let mask = causalMask(tokens: 3)
        let heads = model(x, mask: mask)
        #expect(heads.classes.shape == [2, 3] && heads.score.shape == [2, 1])
        let reference = referenceHeads(model, x: x, mask: mask)
        expectClose(heads.classes, Tensor(shape: [2, 3], scalars: reference.classes.map(Float.init)), "class logits")
        expectClose(heads.score, Tensor(shape: [2, 1], scalars: reference.score.map(Float.init)), "score")
        // The tuple call and the call with separate arguments are the same call.
        expectClose(model((x: x, mask: mask)).classes, heads.classes, tolerance: 0, "tuple call")
    }

    @Test func gradientsMatchFiniteDifferences() {
        var rng = RandomGenerator(seed: 12)
        let model = TwoHeadedModel(features: 3, classes: 2, generator: &rng)
        let x = Tensor.normal([2, 3, 3], generator: &rng)
        let mask = causalMask(tokens: 3)
        // The input (the mask is not differentiated)…
        checkGradients(of: { joined(model($0[0], mask: $0[1])) }, at: [x, mask], checking: [0], tolerance: .relativeToLargest())
        // …and every parameter.
        checkParameterGradients(of: { joined(model(x, mask: mask)) }, in: model)
    }

    @Test func stateDictionaryNamesFollowTheProperties() {
        var rng = RandomGenerator(seed: 13)
        let model = TwoHeadedModel(features: 4, classes: 3, generator: &rng)
        #expect(model.namedParameters().map(\.name) == [
            "attention.query.weight", "attention.query.bias", "attention.key.weight", "attention.key.bias",
            "attention.value.weight", "attention.value.bias", "classifier.weight", "classifier.bias",
            "regressor.weight", "regressor.bias",
        ])
        #expect(model.namedModules().map(\.name) == ["", "attention", "attention.query", "attention.key", "attention.value",
                                                     "classifier", "regressor"])
        #expect(model.stateDictionary()["attention.key.weight"]?.shape == [4, 4])
        #expect(AttentionStack(generator: &rng).namedParameters().map(\.name).prefix(2) == ["blocks.0.query.weight", "blocks.0.query.bias"])
        #expect(AttentionStack(generator: &rng).parameters.count == 12)
    }

    @Test func saveAndLoadRoundTrip() throws {
        var rng = RandomGenerator(seed: 14)
        let trained = TwoHeadedModel(features: 4, classes: 3, generator: &rng)
        let fresh = TwoHeadedModel(features: 4, classes: 3, generator: &rng)
        let x = Tensor.normal([2, 3, 4], generator: &rng)
        let mask = causalMask(tokens: 3)
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("multi-input-\(UUID().uuidString).safetensors")
        defer { try? FileManager.default.removeItem(at: url) }

        try trained.save(to: url)
        #expect(fresh(x, mask: mask).classes.scalars != trained(x, mask: mask).classes.scalars)
        let report = try fresh.load(from: url)
        #expect(report.isComplete && report.loaded.count == 10)
        expectClose(fresh(x, mask: mask).classes, trained(x, mask: mask).classes, tolerance: 0, "classes after loading")
        expectClose(fresh(x, mask: mask).score, trained(x, mask: mask).score, tolerance: 0, "score after loading")
    }

    @Test func asAChildOfAnOrdinaryModule() {
        var rng = RandomGenerator(seed: 15)
        let model = CausalClassifier(inputFeatures: 5, features: 4, classes: 3, generator: &rng)
        let names = model.namedParameters().map(\.name)
        #expect(names.count == 12 && names.contains("body.attention.value.bias") && names.contains("body.regressor.weight"))
        // Every parameter of the multi-input layer reaches the optimizer's list, by identity.
        let optimized = Set(model.parameters.map(ObjectIdentifier.init))
        #expect(model.body.namedParameters().allSatisfy { optimized.contains(ObjectIdentifier($0.parameter)) })

        // Modes and freezing reach inside.
        model.eval()
        #expect(!model.body.attention.query.isTraining)
        model.train()
        #expect(model.freeze(prefix: "body.attention") == 6)
        #expect(model.parameters.count == 6 && !model.body.attention.key.weight.requiresGradient)
        model.unfreeze()

        // A training step's gradients arrive through the tuple-taking forward.
        let x = Tensor.normal([2, 3, 5], generator: &rng)
        model(x).sum().backward()
        #expect(model.parameters.allSatisfy { $0.grad != nil })

        // The summary lists the multi-input layers with the shape of their first output.
        let summary = model.summary(inputShape: [1, 3, 5])
        #expect(summary.outputShape(of: "body") == [1, 3])
        #expect(summary.outputShape(of: "body.attention") == [1, 3, 4])
        #expect(summary.rows.map(\.name).contains("body.attention.query"))
    }
}
