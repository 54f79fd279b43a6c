import Foundation

// Softmax and log-softmax along one axis, fused: one pass for the maximum, one for the
// exponentials, and a closed-form backward that needs only the output.

extension Tensor {
    /// Applies `body` to every slice along `axis`: (pointer to first element, length, stride).
    private func slices(along axis: Int, _ body: (UnsafePointer<Float>, UnsafeMutablePointer<Float>, Int, Int) -> Void) -> Tensor {
        let n = shape[axis]
        let outer = Shape.count(of: Array(shape[..<axis]))
        let inner = Shape.count(of: Array(shape[(axis + 1)...]))
        return Tensor(shape: shape) { out in
            withUnsafeBufferPointer { src in
                let s = src.baseAddress!, o = out.baseAddress!
                Parallel.forEachChunk(count: outer * inner, minimumChunk: Swift.max(1, 8192 / Swift.max(n, 1))) { range in
                    for slice in range {
                        let start = (slice / inner) * n * inner + slice % inner
                        body(s + start, o + start, n, inner)
                    }
                }
            }
        }
    }

    /// exp(x) / Σ exp(x) along `axis`, computed stably.
    public func softmax(alongAxis axis: Int = -1) -> Tensor {
        let axis = Shape.normalize(axis: axis, rank: rank, op: "softmax")
        let y = detached().slices(along: axis) { x, o, n, stride in
            var m = -Float.infinity
            for k in 0..<n { m = Swift.max(m, x[k * stride]) }
            if !m.isFinite { m = 0 }
            var total: Float = 0
            for k in 0..<n { let e = Foundation.exp(x[k * stride] - m); o[k * stride] = e; total += e }
            let inv = 1 / total
            for k in 0..<n { o[k * stride] *= inv }
        }
        return Tensor.record("softmax", result: y, inputs: [self]) { g in
            // dx = y ⊙ (g − Σ g⊙y)
            let dot = (g * y).sum(alongAxes: [axis], keepingDimensions: true)
            return [y * (g - dot)]
        }
    }

    /// x − log Σ exp(x) along `axis`, computed stably.
    public func logSoftmax(alongAxis axis: Int = -1) -> Tensor {
        let axis = Shape.normalize(axis: axis, rank: rank, op: "logSoftmax")
        let y = detached().slices(along: axis) { x, o, n, stride in
            var m = -Float.infinity
            for k in 0..<n { m = Swift.max(m, x[k * stride]) }
            if !m.isFinite { m = 0 }
            var total: Float = 0
            for k in 0..<n { total += Foundation.exp(x[k * stride] - m) }
            let shift = m + Foundation.log(total)
            for k in 0..<n { o[k * stride] = x[k * stride] - shift }
        }
        return Tensor.record("logSoftmax", result: y, inputs: [self]) { g in
            // dx = g − softmax ⊙ Σ g
            let total = g.sum(alongAxes: [axis], keepingDimensions: true)
            return [g - y.exp() * total]
        }
    }
}
