import Tensor

extension Initializer {
    /// A weight whose flattened `[shape[0], rest]` matrix has orthonormal rows or columns
    /// (whichever are fewer), times `gain`.
    ///
    /// As PyTorch: QR-factorize a Gaussian matrix (transposed when wide) and flip Q's columns
    /// by the signs of R's diagonal, which makes the result uniformly (Haar) distributed.
    static func orthogonalTensor(shape: [Int], gain: Float, generator: inout RandomGenerator) -> Tensor {
        precondition(shape.count >= 2, "Initializer.orthogonal: needs a weight of rank ≥ 2, got shape \(shape)")
        let rows = shape[0]
        let cols = Shape.count(of: shape) / max(rows, 1)
        let wide = rows < cols
        let gaussian = Tensor.normal([rows, cols], generator: &generator)
        let (q, r) = (wide ? gaussian.transposed() : gaussian).qr()
        let k = min(rows, cols)
        let signs = Tensor(shape: [1, k]) { out in
            r.withUnsafeBufferPointer { r in  // R is k×k: the factored matrix is tall
                for i in 0..<k { out[i] = r[i * k + i] < 0 ? -gain : gain }
            }
        }
        let oriented = withoutGradients { q * signs }
        return (wide ? oriented.transposed() : oriented).reshaped(to: shape)
    }
}
