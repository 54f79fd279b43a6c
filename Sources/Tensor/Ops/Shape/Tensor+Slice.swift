// Slicing along one axis with a step, and its adjoint, constant padding.

extension Tensor {
    /// Elements `start, start+step, …` (< `end`) along `axis`. Negative `start`/`end` count
    /// from the end and are clipped to the axis, as in Python.
    public func slice(alongAxis axis: Int, start: Int = 0, end: Int? = nil, step: Int = 1) -> Tensor {
        let axis = Shape.normalize(axis: axis, rank: rank, op: "slice")
        precondition(step > 0, "slice: step must be positive, got \(step)")
        let n = shape[axis]
        func clip(_ i: Int) -> Int { Swift.min(Swift.max(i < 0 ? i + n : i, 0), n) }
        let lo = clip(start), hi = clip(end ?? n)
        let length = hi > lo ? (hi - lo + step - 1) / step : 0
        var outShape = shape
        outShape[axis] = length
        var strides = Shape.strides(of: shape)
        let offset = lo * strides[axis]
        strides[axis] *= step
        let y = StridedKernels.read(detached(), shape: outShape, offset: offset, strides: strides)
        let inputShape = shape  // the rule needs the shape only: the input itself may be freed
        return Tensor.record("slice", result: y, inputs: [self]) { g in
            var full = Tensor(shape: inputShape, repeating: 0)
            StridedKernels.write(g, into: &full, offset: offset, strides: strides)
            return [full]
        }
    }

    /// The tensor surrounded by `value`: `padding[i]` is (before, after) for axis `i`; missing
    /// leading axes get no padding (so `[(1, 1), (1, 1)]` pads the last two axes of NCHW).
    public func padded(_ padding: [(before: Int, after: Int)], value: Float = 0) -> Tensor {
        precondition(padding.count <= rank, "padded: \(padding.count) paddings for shape \(shape)")
        let lead = rank - padding.count
        let full = Array(repeating: (before: 0, after: 0), count: lead) + padding
        precondition(full.allSatisfy { $0.before >= 0 && $0.after >= 0 }, "padded: negative padding \(padding)")
        let outShape = shape.indices.map { shape[$0] + full[$0].before + full[$0].after }
        let outStrides = Shape.strides(of: outShape)
        let offset = shape.indices.reduce(0) { $0 + full[$1].before * outStrides[$1] }
        var y = Tensor(shape: outShape, repeating: value)
        StridedKernels.write(detached(), into: &y, offset: offset, strides: outStrides, accumulating: false)
        let inputShape = shape
        return Tensor.record("pad", result: y, inputs: [self]) { g in
            [StridedKernels.read(g, shape: inputShape, offset: offset, strides: outStrides)]
        }
    }

}
