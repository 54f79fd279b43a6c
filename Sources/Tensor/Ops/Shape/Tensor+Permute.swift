// Axis permutation and broadcasting expansion: both materialize through StridedKernels.

extension Tensor {
    /// The tensor with its axes reordered: result axis `i` is input axis `permutation[i]`.
    public func permuted(_ permutation: [Int]) -> Tensor {
        let perm = permutation.map { Shape.normalize(axis: $0, rank: rank, op: "permuted") }
        precondition(perm.count == rank && Set(perm).count == rank,
                     "permuted: \(permutation) is not a permutation of the axes of shape \(shape)")
        if perm == Array(0..<rank) { return self }
        let strides = Shape.strides(of: shape)
        let y = StridedKernels.read(detached(), shape: perm.map { shape[$0] }, offset: 0, strides: perm.map { strides[$0] })
        var inverse = [Int](repeating: 0, count: rank)
        for (i, p) in perm.enumerated() { inverse[p] = i }
        return Tensor.record("permute", result: y, inputs: [self]) { g in [g.permuted(inverse)] }
    }

    /// The tensor with two axes swapped (by default the last two: a matrix transpose).
    public func transposed(_ axis0: Int = -2, _ axis1: Int = -1) -> Tensor {
        precondition(rank >= 2 || (axis0 == -2 && axis1 == -1 && rank < 2),
                     "transposed: shape \(shape) has fewer than two axes")
        guard rank >= 2 else { return self }
        var perm = Array(0..<rank)
        perm.swapAt(Shape.normalize(axis: axis0, rank: rank, op: "transposed"),
                    Shape.normalize(axis: axis1, rank: rank, op: "transposed"))
        return permuted(perm)
    }

    /// The tensor broadcast to `target` (NumPy rules), with repeated elements materialized.
    public func expanded(to target: [Int]) -> Tensor {
        if target == shape { return self }
        let check = Shape.broadcast(shape, target, op: "expanded(to:)")
        precondition(check == target, "expanded(to:): shape \(shape) cannot be expanded to \(target)")
        let y = StridedKernels.read(detached(), shape: target, offset: 0,
                                    strides: Shape.broadcastStrides(from: shape, to: target))
        let inputShape = shape
        return Tensor.record("expand", result: y, inputs: [self]) { g in [g.sum(toShape: inputShape)] }
    }

    /// The tensor broadcast to the shape of `other`.
    public func expanded(as other: Tensor) -> Tensor { expanded(to: other.shape) }
}
