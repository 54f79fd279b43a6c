import Foundation
import Tensor

/// Zeroes each input element with probability `probability` in training mode and scales the
/// survivors by 1/(1 − p) (PyTorch's `nn.Dropout`); the identity in eval mode.
///
/// The layer owns its random stream, which advances with every training call, so a seeded
/// model drops the same elements on every run. A lock guards the stream: concurrent training
/// calls stay well-defined (though their order then decides who gets which mask).
public final class Dropout: Module {
    /// The probability of zeroing an element.
    public let probability: Float
    private let lock = NSLock()
    private var generator: RandomGenerator

    /// Dropout with probability `probability`, drawing masks from `generator`'s stream.
    public init(probability: Float = 0.5, generator: RandomGenerator = RandomGenerator(seed: 0)) {
        precondition((0...1).contains(probability), "Dropout: probability \(probability) is outside [0, 1]")
        self.probability = probability
        self.generator = generator
    }

    /// Dropout with probability `probability`, drawing masks from a stream seeded by `seed`.
    public convenience init(probability: Float = 0.5, seed: UInt64) {
        self.init(probability: probability, generator: RandomGenerator(seed: seed))
    }

    /// The masked, rescaled input in training mode; the input itself in eval mode.
    public override func forward(_ input: Tensor) -> Tensor {
        guard isTraining, probability > 0 else { return input }
        return lock.withLock {
            // Inside a checkpointed region the replay must drop the same units as the first pass.
            guard let region = Recomputation.current else {
                return dropout(input, probability: probability, training: true, generator: &generator)
            }
            var drawing = region.replayedState(for: self, generator)
            let output = dropout(input, probability: probability, training: true, generator: &drawing)
            if region.phase == .forward { generator = drawing }
            return output
        }
    }
}
