// Constructors for common constant tensors.

extension Tensor {
    /// A tensor of zeros.
    public static func zeros(_ shape: [Int]) -> Tensor { Tensor(shape: shape, repeating: 0) }

    /// A tensor of ones.
    public static func ones(_ shape: [Int]) -> Tensor { Tensor(shape: shape, repeating: 1) }

    /// A tensor with every element equal to `value`.
    public static func full(_ shape: [Int], value: Float) -> Tensor { Tensor(shape: shape, repeating: value) }

    /// Zeros with the shape of `other`.
    public static func zeros(like other: Tensor) -> Tensor { zeros(other.shape) }

    /// Ones with the shape of `other`.
    public static func ones(like other: Tensor) -> Tensor { ones(other.shape) }

    /// `0, 1, …` up to but excluding `end` (NumPy's `arange(end)`).
    public static func arange(_ end: Float) -> Tensor { arange(0, end) }

    /// `start, start + step, …` up to but excluding `end` (NumPy's `arange`).
    public static func arange(_ start: Float, _ end: Float, step: Float = 1) -> Tensor {
        precondition(step != 0, "arange: step must not be zero")
        let count = Swift.max(0, Int((Double(end - start) / Double(step)).rounded(.up)))
        return Tensor.nonDifferentiable(shape: [count]) { out in
            for i in 0..<count { out[i] = start + Float(i) * step }
        }
    }

    /// `count` evenly spaced values from `start` to `end`, both included.
    public static func linspace(_ start: Float, _ end: Float, count: Int) -> Tensor {
        precondition(count >= 0, "linspace: negative count \(count)")
        return Tensor.nonDifferentiable(shape: [count]) { out in
            let step = count > 1 ? (Double(end) - Double(start)) / Double(count - 1) : 0
            for i in 0..<count { out[i] = Float(Double(start) + Double(i) * step) }
            if count > 1 { out[count - 1] = end }
        }
    }

    /// The n×n identity matrix (or n×m with ones on the main diagonal).
    public static func eye(_ n: Int, _ m: Int? = nil) -> Tensor {
        let m = m ?? n
        return Tensor.nonDifferentiable(shape: [n, m]) { out in
            out.update(repeating: 0)
            for i in 0..<Swift.min(n, m) { out[i * m + i] = 1 }
        }
    }
}
