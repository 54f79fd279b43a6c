/// Shape arithmetic shared by every op: element counts, strides, axis normalization and
/// NumPy broadcasting.
public enum Shape {
    /// The number of elements of a shape (1 for rank 0).
    @inlinable public static func count(of shape: [Int]) -> Int { shape.reduce(1, *) }

    /// Row-major strides, in elements.
    @inlinable public static func strides(of shape: [Int]) -> [Int] {
        var strides = [Int](repeating: 1, count: shape.count)
        var running = 1
        for axis in stride(from: shape.count - 1, through: 0, by: -1) {
            strides[axis] = running
            running *= shape[axis]
        }
        return strides
    }

    /// Turns a possibly negative axis into `0..<rank`, stopping with a message naming `op`.
    @inlinable public static func normalize(axis: Int, rank: Int, op: String = "axis") -> Int {
        let a = axis < 0 ? axis + rank : axis
        precondition(a >= 0 && a < max(rank, 1) && (rank > 0 || a == 0),
                     "\(op): axis \(axis) is out of range for rank \(rank)")
        return a
    }

    /// Normalizes and sorts a set of axes; an empty set means every axis.
    public static func normalize(axes: [Int]?, rank: Int, op: String) -> [Int] {
        guard let axes, !axes.isEmpty else { return Array(0..<rank) }
        let normalized = axes.map { normalize(axis: $0, rank: rank, op: op) }
        precondition(Set(normalized).count == normalized.count, "\(op): repeated axis in \(axes)")
        return normalized.sorted()
    }

    /// The element offset of a multi-dimensional index (negative components count from the end).
    public static func offset(of index: [Int], in shape: [Int]) -> Int {
        precondition(index.count == shape.count, "Tensor subscript: index \(index) does not match shape \(shape)")
        var offset = 0
        for axis in 0..<shape.count {
            let i = index[axis] < 0 ? index[axis] + shape[axis] : index[axis]
            precondition(i >= 0 && i < shape[axis], "Tensor subscript: index \(index) is out of bounds for shape \(shape)")
            offset = offset * shape[axis] + i
        }
        return offset
    }

    /// The NumPy broadcast of two shapes, stopping with a message naming `op` and both shapes.
    public static func broadcast(_ a: [Int], _ b: [Int], op: String) -> [Int] {
        let rank = max(a.count, b.count)
        var result = [Int](repeating: 1, count: rank)
        for i in 0..<rank {
            let da = i < rank - a.count ? 1 : a[i - (rank - a.count)]
            let db = i < rank - b.count ? 1 : b[i - (rank - b.count)]
            precondition(da == db || da == 1 || db == 1,
                         "\(op): shapes \(a) and \(b) cannot be broadcast together")
            result[i] = da == 1 ? db : da
        }
        return result
    }

    /// Strides for reading a tensor of `shape` as if it had the broadcast shape `target`:
    /// broadcast axes get stride 0.
    public static func broadcastStrides(from shape: [Int], to target: [Int]) -> [Int] {
        let own = strides(of: shape)
        let pad = target.count - shape.count
        return (0..<target.count).map { i in
            i < pad || shape[i - pad] == 1 ? 0 : own[i - pad]
        }
    }
}
