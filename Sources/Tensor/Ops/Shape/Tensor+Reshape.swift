// Reshaping never copies: the new tensor shares the buffer (copy-on-write keeps it safe).

extension Tensor {
    /// The same scalars under a new shape; one dimension may be -1 and is then inferred.
    public func reshaped(to newShape: [Int]) -> Tensor {
        let inferred = newShape.filter { $0 == -1 }.count
        precondition(inferred <= 1, "reshaped(to:): more than one -1 in \(newShape)")
        precondition(newShape.allSatisfy { $0 >= -1 }, "reshaped(to:): negative dimension in \(newShape)")
        var target = newShape
        if let i = newShape.firstIndex(of: -1) {
            let known = newShape.filter { $0 != -1 }.reduce(1, *)
            precondition(known > 0 && scalarCount % known == 0,
                         "reshaped(to:): cannot reshape \(shape) (\(scalarCount) scalars) to \(newShape)")
            target[i] = scalarCount / known
        }
        precondition(Shape.count(of: target) == scalarCount,
                     "reshaped(to:): cannot reshape \(shape) (\(scalarCount) scalars) to \(newShape)")
        if target == shape { return self }
        var y = Tensor(shape: target, storage: storage)
        y.gradNode = nil
        let inputShape = shape
        return Tensor.record("reshape", result: y, inputs: [self]) { g in [g.reshaped(to: inputShape)] }
    }

    /// The tensor as rank 1, or with axes `startAxis...endAxis` merged into one.
    public func flattened(startAxis: Int = 0, endAxis: Int = -1) -> Tensor {
        guard rank > 0 else { return reshaped(to: [1]) }
        let start = Shape.normalize(axis: startAxis, rank: rank, op: "flattened")
        let end = Shape.normalize(axis: endAxis, rank: rank, op: "flattened")
        precondition(start <= end, "flattened: startAxis \(startAxis) is after endAxis \(endAxis)")
        let merged = shape[start...end].reduce(1, *)
        return reshaped(to: Array(shape[..<start]) + [merged] + Array(shape[(end + 1)...]))
    }

    /// The tensor without size-1 axes (all of them, or only those listed).
    public func squeezed(axes: [Int]? = nil) -> Tensor {
        let drop = axes.map { Set($0.map { Shape.normalize(axis: $0, rank: rank, op: "squeezed") }) }
            ?? Set(shape.indices.filter { shape[$0] == 1 })
        for axis in drop { precondition(shape[axis] == 1, "squeezed: axis \(axis) of shape \(shape) is not 1") }
        return reshaped(to: shape.indices.filter { !drop.contains($0) }.map { shape[$0] })
    }

    /// The tensor with a new size-1 axis at `axis` (which may be `rank`, or negative).
    public func unsqueezed(at axis: Int) -> Tensor {
        let a = Shape.normalize(axis: axis, rank: rank + 1, op: "unsqueezed")
        var newShape = shape
        newShape.insert(1, at: a)
        return reshaped(to: newShape)
    }
}
