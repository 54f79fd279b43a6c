// Indexing by integer positions. Indices are plain `[Int]` (or Float tensors holding whole
// numbers, for `gathering`), checked against the axis before any memory is touched. The
// gradient of a gather is a scatter-add, so repeated indices accumulate.

extension Tensor {
    /// The slices at `indices` along `axis`, in that order (PyTorch's `index_select`).
    public func taking(_ indices: [Int], alongAxis axis: Int = 0) -> Tensor {
        let axis = Shape.normalize(axis: axis, rank: rank, op: "taking")
        let n = shape[axis]
        let resolved = indices.map { i -> Int in
            let r = i < 0 ? i + n : i
            precondition(r >= 0 && r < n, "taking: index \(i) is out of range for axis \(axis) of size \(n)")
            return r
        }
        let outer = Shape.count(of: Array(shape[..<axis]))
        let inner = Shape.count(of: Array(shape[(axis + 1)...]))
        var outShape = shape
        outShape[axis] = resolved.count
        let y = Tensor(shape: outShape) { out in
            withUnsafeBufferPointer { src in
                let s = src.baseAddress!, o = out.baseAddress!
                for r in 0..<outer {
                    for (k, i) in resolved.enumerated() {
                        (o + (r * resolved.count + k) * inner).update(from: s + (r * n + i) * inner, count: inner)
                    }
                }
            }
        }
        let inputShape = shape
        return Tensor.record("take", result: y, inputs: [self]) { g in
            var full = Tensor(shape: inputShape, repeating: 0)
            g.withUnsafeBufferPointer { gs in
                full.withUnsafeMutableBufferPointer { d in
                    for r in 0..<outer {
                        for (k, i) in resolved.enumerated() {
                            for j in 0..<inner { d[(r * n + i) * inner + j] += gs[(r * resolved.count + k) * inner + j] }
                        }
                    }
                }
            }
            return [full]
        }
    }

    /// `out[..., j, ...] = self[..., indices[..., j, ...], ...]` along `axis` (PyTorch's
    /// `gather`): `indices` has this tensor's rank, holds whole numbers, and matches its shape
    /// on every other axis.
    public func gathering(alongAxis axis: Int, indices: Tensor) -> Tensor {
        let axis = Shape.normalize(axis: axis, rank: rank, op: "gathering")
        precondition(indices.rank == rank && shape.indices.allSatisfy { $0 == axis || indices.shape[$0] == shape[$0] },
                     "gathering: indices of shape \(indices.shape) do not fit input \(shape) along axis \(axis)")
        let n = shape[axis], m = indices.shape[axis]
        let outer = Shape.count(of: Array(shape[..<axis]))
        let inner = Shape.count(of: Array(shape[(axis + 1)...]))
        let positions: [Int] = indices.scalars.map { v in
            let i = Int(v)
            precondition(Float(i) == v && i >= -n && i < n, "gathering: index \(v) is out of range for axis size \(n)")
            return i < 0 ? i + n : i
        }
        // Source offset of every output element.
        var sources = [Int](repeating: 0, count: positions.count)
        for r in 0..<outer {
            for k in 0..<m {
                for j in 0..<inner {
                    let o = (r * m + k) * inner + j
                    sources[o] = (r * n + positions[o]) * inner + j
                }
            }
        }
        let y = Tensor(shape: indices.shape) { out in
            withUnsafeBufferPointer { s in for o in 0..<sources.count { out[o] = s[sources[o]] } }
        }
        let inputShape = shape
        return Tensor.record("gather", result: y, inputs: [self]) { g in
            var full = Tensor(shape: inputShape, repeating: 0)
            g.withUnsafeBufferPointer { gs in
                full.withUnsafeMutableBufferPointer { d in for o in 0..<sources.count { d[sources[o]] += gs[o] } }
            }
            return [full]
        }
    }

    /// Rows of the identity: shape `[labels.count, classCount]` with a 1 at each label.
    public static func oneHot(_ labels: [Int], classCount: Int) -> Tensor {
        Tensor.nonDifferentiable(shape: [labels.count, classCount]) { out in
            out.update(repeating: 0)
            for (row, label) in labels.enumerated() {
                precondition(label >= 0 && label < classCount, "oneHot: label \(label) is outside 0..<\(classCount)")
                out[row * classCount + label] = 1
            }
        }
    }
}
