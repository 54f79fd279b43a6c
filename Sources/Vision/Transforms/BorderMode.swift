/// How pixels outside an image are filled when padding or filtering near the border.
public enum BorderMode: Sendable, Hashable {
    /// A constant value (torchvision's `padding_mode="constant"` with `fill`).
    case constant(Float)
    /// The nearest edge pixel repeated: `aaa|abcd|ddd`.
    case edge
    /// Mirrored without repeating the edge pixel: `dcb|abcd|cba` (NumPy's and PyTorch's
    /// `reflect`).
    case reflect
    /// Mirrored including the edge pixel: `cba|abcd|dcb` (NumPy's `symmetric`).
    case symmetric

    /// The in-image index that supplies position `index` along an axis of `count` pixels, or
    /// `nil` for ``constant(_:)``. Works for any distance outside, reflecting repeatedly.
    @inline(__always)
    func sourceIndex(_ index: Int, count: Int) -> Int? {
        if index >= 0 && index < count { return index }
        switch self {
        case .constant:
            return nil
        case .edge:
            return index < 0 ? 0 : count - 1
        case .reflect:
            if count == 1 { return 0 }
            let period = 2 * (count - 1)
            var i = index % period
            if i < 0 { i += period }
            return i < count ? i : period - i
        case .symmetric:
            let period = 2 * count
            var i = index % period
            if i < 0 { i += period }
            return i < count ? i : period - 1 - i
        }
    }

    /// For each of `outputCount` positions starting `offset` before the image, the source
    /// index (or -1 for the constant fill). Computed once per axis so kernels index a table.
    func indexTable(outputCount: Int, offset: Int, count: Int) -> [Int] {
        (0..<outputCount).map { sourceIndex($0 - offset, count: count) ?? -1 }
    }
}
