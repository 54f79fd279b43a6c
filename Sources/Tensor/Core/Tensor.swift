/// An n-dimensional array of `Float` scalars with value semantics and reverse-mode autodiff.
///
/// Storage is contiguous and row-major (the last axis varies fastest). Copies share one buffer
/// until one of them is written (copy-on-write). An operation whose input requires gradients
/// records itself on the tape, so that ``backward(_:)`` can later propagate gradients to the
/// leaves (see `Autodiff/`).
///
/// ```swift
/// let x = Tensor(shape: [2, 2], scalars: [1, 2, 3, 4]).requiringGradient()
/// let y = (x * x).sum()
/// y.backward()
/// x.grad  // [[2, 4], [6, 8]]
/// ```
public struct Tensor: Sendable {
    /// The size of each axis.
    public let shape: [Int]
    /// The scalars, row-major.
    @usableFromInline var storage: TensorStorage
    /// The tape node that produced this tensor (or the leaf node of a tensor that requires
    /// gradients); `nil` when no gradient flows through it.
    public internal(set) var gradNode: GradNode?

    /// Wraps existing storage. The storage must hold exactly `shape.product` scalars.
    ///
    /// A raw constructor: when this is the storage's first tensor, ``GradientFlowCheck``
    /// counts it as built at `file:line` (a later tensor over the same storage, such as a
    /// reshape, is a view and is not counted).
    public init(shape: [Int], storage: TensorStorage, file: StaticString = #fileID, line: UInt = #line) {
        // Before wrapping, which then takes the last use of `storage` (no extra retain).
        if GradientFlowCheck.isEnabled { GradientFlowCheck.noteConstruction(of: storage, shape: shape, file: file, line: line) }
        self.init(shape: shape, wrapping: storage)
    }

    /// Wraps storage without telling ``GradientFlowCheck``: for constants.
    @inline(__always)
    init(shape: [Int], wrapping storage: TensorStorage) {
        precondition(shape.allSatisfy { $0 >= 0 }, "Tensor: negative dimension in shape \(shape)")
        precondition(Shape.count(of: shape) == storage.count,
                     "Tensor: shape \(shape) needs \(Shape.count(of: shape)) scalars, storage has \(storage.count)")
        self.shape = shape
        self.storage = storage
        self.gradNode = nil
    }

    /// A tensor of the given shape from row-major scalars (a raw constructor, see
    /// ``GradientFlowCheck``).
    public init(shape: [Int], scalars: [Float], file: StaticString = #fileID, line: UInt = #line) {
        precondition(shape.allSatisfy { $0 >= 0 }, "Tensor: negative dimension in shape \(shape)")
        precondition(Shape.count(of: shape) == scalars.count,
                     "Tensor(shape:scalars:): shape \(shape) needs \(Shape.count(of: shape)) scalars, got \(scalars.count)")
        let storage = TensorStorage(uninitializedCount: scalars.count)
        scalars.withUnsafeBufferPointer { source in
            if let s = source.baseAddress { storage.base.initialize(from: s, count: scalars.count) }
        }
        self.init(shape: shape, storage: storage, file: file, line: line)
    }

    /// A rank-1 tensor holding `scalars` (a raw constructor, see ``GradientFlowCheck``).
    public init(_ scalars: [Float], file: StaticString = #fileID, line: UInt = #line) {
        self.init(shape: [scalars.count], scalars: scalars, file: file, line: line)
    }

    /// A matrix from its rows, which must all have the same length (a raw constructor, see
    /// ``GradientFlowCheck``).
    public init(_ rows: [[Float]], file: StaticString = #fileID, line: UInt = #line) {
        let columns = rows.first?.count ?? 0
        precondition(rows.allSatisfy { $0.count == columns }, "Tensor(rows): rows have different lengths")
        self.init(shape: [rows.count, columns], scalars: rows.flatMap { $0 }, file: file, line: line)
    }

    /// A rank-0 (scalar) tensor: a constant.
    public init(_ scalar: Float) {
        self.init(shape: [], repeating: scalar)
    }

    /// A tensor of the given shape with every scalar equal to `value`: a constant.
    public init(shape: [Int], repeating value: Float) {
        self.init(shape: shape, wrapping: TensorStorage(count: Shape.count(of: shape), repeating: value))
    }

    /// A tensor whose scalars are written by `initializer`, which must set every element.
    ///
    /// This is the allocation path of the kernels: no zero-fill, no temporary array. It
    /// records nothing: a differentiable op passes the result to ``record(_:result:inputs:rule:)``,
    /// a non-differentiable one uses ``nonDifferentiable(shape:initializingWith:)`` instead, and
    /// ``GradientFlowCheck`` catches one that does neither, naming `file:line`.
    @inlinable
    public init(shape: [Int], initializingWith initializer: (UnsafeMutableBufferPointer<Float>) throws -> Void,
                file: StaticString = #fileID, line: UInt = #line) rethrows {
        let storage = TensorStorage(uninitializedCount: Shape.count(of: shape))
        try initializer(storage.buffer)
        self.init(shape: shape, storage: storage, file: file, line: line)
    }

    /// The number of axes.
    @inlinable public var rank: Int { shape.count }

    /// The total number of scalars.
    @inlinable public var scalarCount: Int { storage.count }

    /// The scalars, row-major, as an array.
    public var scalars: [Float] { Array(storage.buffer) }

    /// The only scalar of a one-element tensor.
    public var scalar: Float {
        precondition(scalarCount == 1, "Tensor.scalar: tensor of shape \(shape) has \(scalarCount) scalars, not 1")
        return storage.base[0]
    }

    /// Reads the scalars without copying.
    ///
    /// This is how kernels read their inputs. With ``GradientFlowCheck`` on, a read at
    /// `file:line` of a tensor that requires gradients marks the tensor built from it, which
    /// must then go through ``record(_:result:inputs:rule:)``.
    @inlinable
    public func withUnsafeBufferPointer<R>(file: StaticString = #fileID, line: UInt = #line,
                                           _ body: (UnsafeBufferPointer<Float>) throws -> R) rethrows -> R {
        let counted = GradientFlowCheck.isEnabled && GradientFlowCheck.beginRead(of: self, file: file, line: line)
        defer { if counted { GradientFlowCheck.endRead() } }
        return try body(UnsafeBufferPointer(storage.buffer))
    }

    /// Writes the scalars in place, copying the storage first if another tensor shares it.
    ///
    /// Writing does not record anything on the tape: it is for kernels, optimizers and
    /// initializers, not for differentiable computation (``GradientFlowCheck`` notes it as a
    /// read, like ``withUnsafeBufferPointer(file:line:_:)``).
    @inlinable
    public mutating func withUnsafeMutableBufferPointer<R>(file: StaticString = #fileID, line: UInt = #line,
                                                          _ body: (UnsafeMutableBufferPointer<Float>) throws -> R) rethrows -> R {
        if !isKnownUniquelyReferenced(&storage) { storage = storage.copy() }
        let counted = GradientFlowCheck.isEnabled && GradientFlowCheck.beginRead(of: self, file: file, line: line)
        defer { if counted { GradientFlowCheck.endRead() } }
        return try body(storage.buffer)
    }

    /// Whether two tensors share one buffer (a cheap identity check, used by tests of
    /// copy-on-write).
    public func sharesStorage(with other: Tensor) -> Bool { storage === other.storage }

    /// The buffer behind the scalars, shared by copies of this tensor until one of them is
    /// written. A weak reference to it tells when the last holder, the tape included, let go
    /// (tests of what gradient rules keep use this).
    public var storageReference: TensorStorage { storage }

    /// The scalar at a multi-dimensional index (negative indices count from the end).
    public subscript(indices: Int...) -> Float {
        get { storage.base[Shape.offset(of: indices, in: shape)] }
        set {
            let offset = Shape.offset(of: indices, in: shape)
            withUnsafeMutableBufferPointer { $0[offset] = newValue }
        }
    }
}

extension Tensor: CustomStringConvertible {
    /// A nested-bracket rendering, abbreviated for large tensors.
    public var description: String {
        let values = storage.buffer
        func render(_ axis: Int, _ offset: Int) -> String {
            if axis == shape.count { return "\(values[offset])" }
            let stride = Shape.count(of: Array(shape[(axis + 1)...]))
            let n = shape[axis]
            let shown = n > 8 ? Array(0..<3) + [-1] + Array((n - 3)..<n) : Array(0..<n)
            let parts = shown.map { $0 < 0 ? "..." : render(axis + 1, offset + $0 * stride) }
            return "[" + parts.joined(separator: ", ") + "]"
        }
        return "Tensor(shape: \(shape), \(scalarCount == 0 ? "[]" : render(0, 0)))"
    }
}

extension Tensor {
    /// Whether the tensors have the same shape and their scalars differ by at most `tolerance`.
    public func isAlmostEqual(to other: Tensor, tolerance: Float = 1e-5) -> Bool {
        guard shape == other.shape else { return false }
        return withUnsafeBufferPointer { a in
            other.withUnsafeBufferPointer { b in
                for i in 0..<a.count where !(Swift.abs(a[i] - b[i]) <= tolerance) { return false }
                return true
            }
        }
    }

    /// The largest absolute difference between two tensors of the same shape.
    public func maxAbsoluteDifference(_ other: Tensor) -> Float {
        precondition(shape == other.shape, "maxAbsoluteDifference: shapes \(shape) and \(other.shape) differ")
        return withUnsafeBufferPointer { a in
            other.withUnsafeBufferPointer { b in
                var m: Float = 0
                for i in 0..<a.count { m = Swift.max(m, Swift.abs(a[i] - b[i])) }
                return m
            }
        }
    }
}
