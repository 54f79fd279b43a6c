import Foundation

// Random tensors, drawn sequentially from an explicit generator.

extension Tensor {
    /// Uniform samples in [`low`, `high`).
    public static func uniform(_ shape: [Int], low: Float = 0, high: Float = 1,
                               generator: inout RandomGenerator) -> Tensor {
        Tensor.nonDifferentiable(shape: shape) { out in
            for i in 0..<out.count { out[i] = low + (high - low) * generator.nextUnitFloat() }
        }
    }

    /// Normal samples with the given mean and standard deviation (Box–Muller in Double).
    public static func normal(_ shape: [Int], mean: Float = 0, standardDeviation: Float = 1,
                              generator: inout RandomGenerator) -> Tensor {
        Tensor.nonDifferentiable(shape: shape) { out in
            var i = 0
            while i < out.count {
                let u1 = 1 - generator.nextUnitDouble()  // in (0, 1]: log stays finite
                let u2 = generator.nextUnitDouble()
                let r = (-2 * Foundation.log(u1)).squareRoot()
                out[i] = mean + standardDeviation * Float(r * Foundation.cos(2 * .pi * u2))
                if i + 1 < out.count { out[i + 1] = mean + standardDeviation * Float(r * Foundation.sin(2 * .pi * u2)) }
                i += 2
            }
        }
    }

    /// Normal samples truncated to [mean − 2σ, mean + 2σ] by redrawing (as PyTorch's
    /// `trunc_normal_` with its default bounds).
    public static func truncatedNormal(_ shape: [Int], mean: Float = 0, standardDeviation: Float = 1,
                                       generator: inout RandomGenerator) -> Tensor {
        Tensor.nonDifferentiable(shape: shape) { out in
            for i in 0..<out.count {
                var z: Float
                repeat {
                    z = Tensor.normal([1], generator: &generator).scalar
                } while Swift.abs(z) > 2
                out[i] = mean + standardDeviation * z
            }
        }
    }

    /// 1 with probability `probability`, else 0.
    public static func bernoulli(_ shape: [Int], probability: Float, generator: inout RandomGenerator) -> Tensor {
        precondition((0...1).contains(probability), "bernoulli: probability \(probability) is outside [0, 1]")
        return Tensor.nonDifferentiable(shape: shape) { out in
            for i in 0..<out.count { out[i] = generator.nextUnitFloat() < probability ? 1 : 0 }
        }
    }

    /// A random permutation of `0..<count` (Fisher–Yates).
    public static func permutation(_ count: Int, generator: inout RandomGenerator) -> [Int] {
        var values = Array(0..<count)
        if count > 1 {
            for i in stride(from: count - 1, to: 0, by: -1) {
                let j = Int(generator.next() % UInt64(i + 1))
                values.swapAt(i, j)
            }
        }
        return values
    }
}
