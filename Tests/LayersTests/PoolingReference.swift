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
}
