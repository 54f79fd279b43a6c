import Tensor

/// The max-pooling rule the fast paths are held to, written plainly: the first maximum of a
/// window in row-major order, or its first NaN (PyTorch's documented `max_pool2d` semantics).
enum PoolingReference {
    /// The maximum of rows `rows` × columns `columns` of the plane at `offset` in `values`
    /// (row length `width`), and the in-plane index of the winner.
    static func windowMaximum(_ values: [Float], offset: Int, width: Int, rows: Range<Int>,
                              columns: Range<Int>) -> (value: Float, index: Int) {
        var best = -Float.infinity, winner = rows.lowerBound * width + columns.lowerBound
        for iy in rows {
            for ix in columns {
                let v = values[offset + iy * width + ix]
                if v.isNaN { return (v, iy * width + ix) }
                if v > best { best = v; winner = iy * width + ix }
            }
        }
        return (best, winner)
    }

    /// Runs `output.backward` with a seeded random gradient and returns what the input gradient
    /// must then be: each window's gradient sent to its winner (`winners`: flat input indices, one
    /// per output), accumulated where windows share one, zero everywhere else.
    static func backwardThroughWinners(_ output: Tensor, winners: [Int], inputCount: Int) -> [Float] {
        var generator = RandomGenerator(seed: 3)
        let seed = Tensor.uniform(output.shape, low: 0.5, high: 1.5, generator: &generator)
        output.backward(seed)
        var expected = [Float](repeating: 0, count: inputCount)
        for (o, index) in winners.enumerated() { expected[index] += seed.scalars[o] }
        return expected
    }
}
