import Foundation
import Layers
import Tensor

/// An exponential moving average of a model's weights (Polyak averaging), the model that
/// validation scores and the run saves.
///
/// Validation metrics of the raw weights jump from epoch to epoch on PneumoniaMNIST (the last
/// steps' noise moves the decision boundary); the average is smoother and generalizes better.
/// Batch-norm running statistics are averaged too, so the averaged model is self-consistent.
final class WeightAverage {
    /// The weight kept from the previous average at each step.
    let decay: Float
    /// Names and current averages, parameters and buffers alike.
    private(set) var averages: [String: Tensor]

    /// Starts the average at the model's current weights.
    init(_ model: Module, decay: Float) {
        self.decay = decay
        averages = model.stateDictionary()
    }

    /// Restores a saved average (for `--resume`), keeping only known names of the same shape.
    func restore(_ saved: [String: Tensor]) {
        for (name, value) in saved where averages[name]?.shape == value.shape { averages[name] = value }
    }

    /// Moves every average towards the model's current value: a ← d·a + (1 − d)·w, computed as
    /// a + (1 − d)(w − a) in one pass over each buffer, so that an average of a tensor that
    /// does not move (a frozen backbone, its batch-norm statistics) stays bit-identical to it.
    /// The decay ramps up as (1 + step) / (10 + step) until it reaches ``decay``, so the first,
    /// poor weights are forgotten quickly.
    func update(from model: Module, step: Int) {
        let d = min(decay, Float(1 + step) / Float(10 + step))
        for (name, current) in model.stateDictionary() {
            guard var average = averages.removeValue(forKey: name) else { continue }
            current.withUnsafeBufferPointer { w in
                average.withUnsafeMutableBufferPointer { a in
                    let rate = 1 - d
                    for i in 0..<a.count { a[i] += rate * (w[i] - a[i]) }
                }
            }
            averages[name] = average
        }
    }

    /// A copy of `model`'s architecture holding the averaged weights.
    func averagedModel(like configuration: (architecture: String, channels: Int, classes: Int)) throws -> Module {
        let model = try ModelZoo.make(configuration.architecture, inputChannels: configuration.channels,
                                      classCount: configuration.classes, seed: 0)
        try model.loadStateDictionary(averages, strict: true, source: "weight average")
        model.eval()
        return model
    }
}
