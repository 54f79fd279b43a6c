// Joining and splitting along an axis. Concatenation copies each input into its band of the
// output; the gradient of each input is its band of the output gradient.

extension Tensor {
    /// The tensors joined along `axis`; all other axes must match.
    public static func concatenate(_ tensors: [Tensor], alongAxis axis: Int = 0) -> Tensor {
        precondition(!tensors.isEmpty, "concatenate: no tensors")
        let first = tensors[0]
        let axis = Shape.normalize(axis: axis, rank: first.rank, op: "concatenate")
        for t in tensors {
            precondition(t.rank == first.rank && t.shape.indices.allSatisfy { $0 == axis || t.shape[$0] == first.shape[$0] },
                         "concatenate: shape \(t.shape) does not match \(first.shape) outside axis \(axis)")
        }
        var outShape = first.shape
        outShape[axis] = tensors.reduce(0) { $0 + $1.shape[axis] }
        let outStrides = Shape.strides(of: outShape)
        var y = Tensor(shape: outShape, repeating: 0)
        var starts: [Int] = []
        var position = 0
        for t in tensors {
            starts.append(position)
            StridedKernels.write(t.detached(), into: &y, offset: position * outStrides[axis], strides: outStrides,
                                 accumulating: false)
            position += t.shape[axis]
        }
        let bands = tensors.indices.map { (start: starts[$0], length: tensors[$0].shape[axis], needed: tensors[$0].requiresGradient) }
        return record("concatenate", result: y, inputs: tensors) { g in
            bands.map { band in
                band.needed ? g.slice(alongAxis: axis, start: band.start, end: band.start + band.length) : nil
            }
        }
    }

    /// The tensors (of one shape) stacked along a new axis.
    public static func stack(_ tensors: [Tensor], alongAxis axis: Int = 0) -> Tensor {
        precondition(!tensors.isEmpty, "stack: no tensors")
        for t in tensors {
            precondition(t.shape == tensors[0].shape, "stack: shape \(t.shape) differs from \(tensors[0].shape)")
        }
        return concatenate(tensors.map { $0.unsqueezed(at: axis) }, alongAxis: axis)
    }

    /// The tensor cut along `axis` into pieces of the given sizes (which must add up).
    public func split(sizes: [Int], alongAxis axis: Int = 0) -> [Tensor] {
        let axis = Shape.normalize(axis: axis, rank: rank, op: "split")
        precondition(sizes.allSatisfy { $0 >= 0 } && sizes.reduce(0, +) == shape[axis],
                     "split: sizes \(sizes) do not add up to \(shape[axis]) along axis \(axis) of \(shape)")
        var start = 0
        return sizes.map { size in
            defer { start += size }
            return slice(alongAxis: axis, start: start, end: start + size)
        }
    }

    /// The tensor cut along `axis` into `count` equal pieces.
    public func split(count: Int, alongAxis axis: Int = 0) -> [Tensor] {
        let a = Shape.normalize(axis: axis, rank: rank, op: "split")
        precondition(count > 0 && shape[a] % count == 0, "split: axis \(axis) of \(shape) does not divide into \(count)")
        return split(sizes: Array(repeating: shape[a] / count, count: count), alongAxis: a)
    }
}
