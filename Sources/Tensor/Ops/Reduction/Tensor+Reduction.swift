import Foundation

// Reductions over any set of axes. `nil` or an empty list of axes means every axis. Without
// `keepingDimensions`, the reduced axes are removed from the shape.

extension Tensor {
    /// The shape after reducing `axes` (sorted, normalized).
    func reducedShape(_ axes: [Int], keepingDimensions: Bool) -> [Int] {
        keepingDimensions
            ? shape.enumerated().map { axes.contains($0.offset) ? 1 : $0.element }
            : shape.enumerated().filter { !axes.contains($0.offset) }.map(\.element)
    }

    /// The sum over `axes`.
    public func sum(alongAxes axes: [Int]? = nil, keepingDimensions: Bool = false) -> Tensor {
        let axes = Shape.normalize(axes: axes, rank: rank, op: "sum")
        let kept = ReductionKernels.sum(detached(), axes: axes)
        let y = kept.reshaped(to: reducedShape(axes, keepingDimensions: keepingDimensions))
        let inputShape = shape
        return Tensor.record("sum", result: y, inputs: [self]) { g in
            [g.reshaped(to: kept.shape).expanded(to: inputShape)]
        }
    }

    /// The sum over one axis.
    public func sum(alongAxis axis: Int, keepingDimensions: Bool = false) -> Tensor {
        sum(alongAxes: [axis], keepingDimensions: keepingDimensions)
    }

    /// The mean over `axes`.
    public func mean(alongAxes axes: [Int]? = nil, keepingDimensions: Bool = false) -> Tensor {
        let normalized = Shape.normalize(axes: axes, rank: rank, op: "mean")
        let n = normalized.reduce(1) { $0 * shape[$1] }
        return sum(alongAxes: normalized, keepingDimensions: keepingDimensions) / Float(n)
    }

    /// The mean over one axis.
    public func mean(alongAxis axis: Int, keepingDimensions: Bool = false) -> Tensor {
        mean(alongAxes: [axis], keepingDimensions: keepingDimensions)
    }

    /// The maximum over `axes`; tied maxima share the gradient equally (as PyTorch's `amax`).
    /// A NaN makes its slice NaN, as in PyTorch and NumPy (and as ``argmax(alongAxis:keepingDimensions:)``
    /// points at it), so a diverged value is never hidden.
    public func max(alongAxes axes: [Int]? = nil, keepingDimensions: Bool = false) -> Tensor {
        extremum("max", axes, keepingDimensions, initial: -.infinity) { $1 > $0 || $1.isNaN ? $1 : $0 }
    }

    /// The minimum over `axes`; tied minima share the gradient equally. NaN propagates as in
    /// ``max(alongAxes:keepingDimensions:)``.
    public func min(alongAxes axes: [Int]? = nil, keepingDimensions: Bool = false) -> Tensor {
        extremum("min", axes, keepingDimensions, initial: .infinity) { $1 < $0 || $1.isNaN ? $1 : $0 }
    }

    /// The maximum over one axis.
    public func max(alongAxis axis: Int, keepingDimensions: Bool = false) -> Tensor {
        max(alongAxes: [axis], keepingDimensions: keepingDimensions)
    }

    /// The minimum over one axis.
    public func min(alongAxis axis: Int, keepingDimensions: Bool = false) -> Tensor {
        min(alongAxes: [axis], keepingDimensions: keepingDimensions)
    }

    private func extremum(_ op: String, _ axes: [Int]?, _ keep: Bool, initial: Float,
                          _ combine: @escaping (Float, Float) -> Float) -> Tensor {
        let axes = Shape.normalize(axes: axes, rank: rank, op: op)
        precondition(axes.allSatisfy { shape[$0] > 0 }, "\(op): cannot reduce an empty axis of shape \(shape)")
        let x = self
        let kept = ReductionKernels.reduce(x.detached(), axes: axes, initial: initial, combine)
        let y = kept.reshaped(to: reducedShape(axes, keepingDimensions: keep))
        return Tensor.record(op, result: y, inputs: [x]) { g in
            let mask = x.detached() .== kept
            let ties = mask.sum(alongAxes: axes, keepingDimensions: true)
            return [mask * (g.reshaped(to: kept.shape) / ties)]
        }
    }

    /// The index of the largest element along `axis` (the first one on ties), as Float
    /// indices in a tensor without that axis. Not differentiable.
    public func argmax(alongAxis axis: Int, keepingDimensions: Bool = false) -> Tensor {
        let axis = Shape.normalize(axis: axis, rank: rank, op: "argmax")
        let n = shape[axis]
        precondition(n > 0, "argmax: axis \(axis) of shape \(shape) is empty")
        let outer = Shape.count(of: Array(shape[..<axis]))
        let inner = Shape.count(of: Array(shape[(axis + 1)...]))
        var outShape = shape
        outShape[axis] = 1
        let result = Tensor.nonDifferentiable(shape: outShape) { out in
            withUnsafeBufferPointer { src in
                for r in 0..<outer {
                    for j in 0..<inner {
                        var best = src[r * n * inner + j], index = 0
                        for k in 1..<n {
                            let v = src[(r * n + k) * inner + j]
                            if v > best || (best.isNaN == false && v.isNaN) { best = v; index = k }
                        }
                        out[r * inner + j] = Float(index)
                    }
                }
            }
        }
        return keepingDimensions ? result : result.reshaped(to: reducedShape([axis], keepingDimensions: false))
    }

    /// The index of the largest element of the flattened tensor.
    public func argmax() -> Int {
        Int(reshaped(to: [-1]).argmax(alongAxis: 0).scalar)
    }

    /// The index of the smallest element along `axis`. Not differentiable.
    public func argmin(alongAxis axis: Int, keepingDimensions: Bool = false) -> Tensor {
        (-detached()).argmax(alongAxis: axis, keepingDimensions: keepingDimensions)
    }

    /// The variance over `axes`, divided by `n - correction` (1 gives the unbiased estimate,
    /// PyTorch's default; 0 the population variance).
    public func variance(alongAxes axes: [Int]? = nil, correction: Int = 1, keepingDimensions: Bool = false) -> Tensor {
        let normalized = Shape.normalize(axes: axes, rank: rank, op: "variance")
        let n = normalized.reduce(1) { $0 * shape[$1] }
        let centered = self - mean(alongAxes: normalized, keepingDimensions: true)
        return centered.squared().sum(alongAxes: normalized, keepingDimensions: keepingDimensions)
            / Float(Swift.max(n - correction, 0))
    }

    /// The standard deviation over `axes` (see ``variance(alongAxes:correction:keepingDimensions:)``).
    public func standardDeviation(alongAxes axes: [Int]? = nil, correction: Int = 1, keepingDimensions: Bool = false) -> Tensor {
        variance(alongAxes: axes, correction: correction, keepingDimensions: keepingDimensions).sqrt()
    }

    /// log Σ exp(x) over `axes`, shifted by the maximum so that it never overflows.
    public func logSumExp(alongAxes axes: [Int]? = nil, keepingDimensions: Bool = false) -> Tensor {
        let normalized = Shape.normalize(axes: axes, rank: rank, op: "logSumExp")
        // The shift is a constant for differentiation (its gradient terms cancel).
        var shift = detached().max(alongAxes: normalized, keepingDimensions: true)
        shift = ElementwiseKernels.map(shift) { $0.isFinite ? $0 : 0 }
        let result = (self - shift).exp().sum(alongAxes: normalized, keepingDimensions: true).log() + shift
        return keepingDimensions ? result : result.reshaped(to: reducedShape(normalized, keepingDimensions: false))
    }
}
