/// Strided copies: the one loop behind permute, expand, slice, pad and their adjoints.
///
/// A view is described by an element offset and one stride per axis of `shape` (stride 0
/// repeats an element, which is broadcasting). `read` copies such a view of a source buffer
/// into a dense output; `write` copies (or adds) a dense buffer into such a view.
package enum StridedKernels {
    /// Visits every index of `shape` in row-major order, calling `body(denseIndex, viewOffset)`
    /// once per innermost run with the run's length and the view's inner stride.
    @inline(__always)
    package static func forEachRun(shape: [Int], offset: Int, strides: [Int],
                           _ body: (_ dense: Int, _ view: Int, _ length: Int, _ innerStride: Int) -> Void) {
        let count = Shape.count(of: shape)
        guard count > 0 else { return }
        guard let inner = shape.last else { body(0, offset, 1, 0); return }
        let rank = shape.count
        let innerStride = strides[rank - 1]
        var index = [Int](repeating: 0, count: rank)
        var view = offset
        var dense = 0
        while dense < count {
            body(dense, view, inner, innerStride)
            dense += inner
            var axis = rank - 2
            while axis >= 0 {
                index[axis] += 1
                view += strides[axis]
                if index[axis] < shape[axis] { break }
                view -= strides[axis] * shape[axis]
                index[axis] = 0
                axis -= 1
            }
        }
    }

    /// A dense tensor of `shape` read from the view (`offset`, `strides`) of `source`.
    static func read(_ source: Tensor, shape: [Int], offset: Int, strides: [Int]) -> Tensor {
        Tensor(shape: shape) { out in
            source.withUnsafeBufferPointer { src in
                let s = src.baseAddress!, o = out.baseAddress!
                forEachRun(shape: shape, offset: offset, strides: strides) { dense, view, n, st in
                    if st == 1 {
                        (o + dense).update(from: s + view, count: n)
                    } else if st == 0 {
                        (o + dense).update(repeating: s[view], count: n)
                    } else {
                        for j in 0..<n { o[dense + j] = s[view + j * st] }
                    }
                }
            }
        }
    }

    /// Adds the dense `values` into the view (`offset`, `strides`) of `destination`, or
    /// overwrites the view when `accumulating` is false (only for views without repeats).
    static func write(_ values: Tensor, into destination: inout Tensor, offset: Int, strides: [Int],
                      accumulating: Bool = true) {
        values.withUnsafeBufferPointer { src in
            destination.withUnsafeMutableBufferPointer { dst in
                let s = src.baseAddress!, d = dst.baseAddress!
                forEachRun(shape: values.shape, offset: offset, strides: strides) { dense, view, n, st in
                    if accumulating {
                        for j in 0..<n { d[view + j * st] += s[dense + j] }
                    } else {
                        for j in 0..<n { d[view + j * st] = s[dense + j] }
                    }
                }
            }
        }
    }
}
