import Tensor

/// A fixed linear view of the input image, `rows · x · columns + offset` per channel: how a
/// model scored on several views of each image (test-time augmentation by shifts, flips) is
/// exported in one graph. Each part may be absent (the identity, or no offset).
///
/// For an input `[N, C, H, W]`: `rows` is `[H, H]`, `columns` `[W, W]`, `offset` `[H, W]`
/// (the same for every channel).
public struct ONNXInputView: Sendable {
    /// Left factor `[H, H]` (mixes rows: vertical shifts, flips), or `nil`.
    public var rows: Tensor?
    /// Right factor `[W, W]` (mixes columns: horizontal shifts, flips), or `nil`.
    public var columns: Tensor?
    /// Added after the products, `[H, W]`, or `nil`.
    public var offset: Tensor?

    /// A view; all `nil` is the input itself.
    public init(rows: Tensor? = nil, columns: Tensor? = nil, offset: Tensor? = nil) {
        self.rows = rows
        self.columns = columns
        self.offset = offset
    }

    /// The input itself.
    public static let identity = ONNXInputView()
}
