// Plumbing shared by every LAPACK-backed op: shape checks for stacks of matrices [..., m, n],
// one LAPACK call per matrix spread over both cores, NaN handling and batch broadcasting.

/// Helpers for running a LAPACK routine over each matrix of a `[..., m, n]` tensor.
enum MatrixBatch {
    /// The `info` a per-matrix body returns when the matrix held NaN and its outputs were
    /// filled with NaN instead of calling LAPACK (LAPACKE would reject it as a bad argument).
    static let nanInfo = Int32.min

    /// The leading (batch) shape, the number of matrices and the matrix size of a stack.
    struct Dimensions {
        /// The leading axes.
        let batch: [Int]
        /// The number of matrices (product of `batch`).
        let count: Int
        /// Rows of each matrix.
        let rows: Int
        /// Columns of each matrix.
        let columns: Int
        /// Scalars per matrix.
        var size: Int { rows * columns }
    }

    /// Splits `shape` into batch axes and a matrix, stopping with a message naming `op` when it
    /// has fewer than two axes or (if `square`) the matrices are not square.
    static func dimensions(of shape: [Int], op: String, square: Bool) -> Dimensions {
        precondition(shape.count >= 2, "\(op): expected a matrix or a stack of matrices [..., m, n], got shape \(shape)")
        let rows = shape[shape.count - 2], columns = shape[shape.count - 1]
        precondition(!square || rows == columns, "\(op): expected square matrices [..., n, n], got shape \(shape)")
        precondition(rows <= Int(Int32.max) && columns <= Int(Int32.max),
                     "\(op): matrices of shape \(shape) are too large for 32-bit LAPACK")
        let batch = Array(shape.dropLast(2))
        return Dimensions(batch: batch, count: Shape.count(of: batch), rows: rows, columns: columns)
    }

    /// Calls `body(i)` for every matrix index `i` in `0..<count` and returns the `info` each
    /// call reported.
    ///
    /// Small matrices are spread over the cores (each LAPACK call is then too short to be
    /// threaded inside OpenBLAS); large ones run in order and let OpenBLAS thread each call.
    /// `body` runs concurrently for different indices, so it must write only memory owned by
    /// matrix `i`. A negative `info` other than ``nanInfo`` means an argument Fathom passed was
    /// wrong (or LAPACKE could not allocate its workspace): that stops the program.
    static func run(count: Int, order: Int, routine: String, _ body: (Int) -> Int32) -> [Int32] {
        var infos = [Int32](repeating: 0, count: count)
        guard count > 0, order > 0 else { return infos }
        let minimumChunk = order > 64 ? count : Swift.max(1, 65_536 / (order * order * order))
        infos.withUnsafeMutableBufferPointer { buffer in
            let info = buffer.baseAddress!
            Parallel.forEachChunk(count: count, minimumChunk: minimumChunk) { range in
                for i in range {
                    let result = body(i)
                    precondition(result >= 0 || result == nanInfo,
                                 "\(routine) returned info \(result): LAPACKE rejected argument \(-result) or ran out of memory")
                    info[i] = result
                }
            }
        }
        return infos
    }

    /// The first matrix whose `info` is a positive LAPACK failure code, with that code.
    static func firstFailure(_ infos: [Int32]) -> (batchIndex: Int, info: Int)? {
        guard let i = infos.firstIndex(where: { $0 > 0 }) else { return nil }
        return (i, Int(infos[i]))
    }

    /// Whether `count` scalars from `p` include a NaN.
    static func containsNaN(_ p: UnsafePointer<Float>, count: Int) -> Bool {
        for i in 0..<count where p[i].isNaN { return true }
        return false
    }

    /// Sets `count` scalars from `p` to NaN.
    static func fillNaN(_ p: UnsafeMutablePointer<Float>, count: Int) {
        p.update(repeating: .nan, count: count)
    }

    /// For each matrix of the broadcast batch `target`, the index of the matrix it reads in a
    /// batch of shape `source` (NumPy broadcasting over the leading axes).
    static func sourceIndices(from source: [Int], to target: [Int]) -> [Int] {
        let strides = Shape.broadcastStrides(from: source, to: target)
        let targetStrides = Shape.strides(of: target)
        return (0..<Shape.count(of: target)).map { index in
            var rest = index, offset = 0
            for axis in 0..<target.count {
                offset += rest / targetStrides[axis] * strides[axis]
                rest %= targetStrides[axis]
            }
            return offset
        }
    }

    /// The scalar code LAPACKE expects for a character option.
    static func option(_ c: Unicode.Scalar) -> CChar { CChar(UInt8(ascii: c)) }
}
