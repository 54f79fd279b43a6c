/// An n-dimensional array as stored in a `.npy` file: shape, element type and raw bytes.
///
/// Unlike `Tensor` (always Float32) it keeps the file's own element type, so that datasets can
/// read uint8 pixels and int64 labels exactly. The bytes are little-endian and row-major
/// (C order) whatever the file used: readers swap big-endian data and transpose Fortran-order
/// data on the way in.
///
/// ```swift
/// let archive = try NPZArchive(contentsOf: url)
/// let labels = try archive["train_labels"].integers()   // [Int], exact
/// let images = try archive["train_images"].tensor()      // Float32, 0...255
/// ```

import Tensor
public struct NPYArray: Sendable, Equatable {
    /// The size of each axis (empty for a scalar).
    public let shape: [Int]
    /// The element type.
    public let dtype: SerializedDType
    /// The elements' bytes: little-endian, row-major, `scalarCount * dtype.byteCount` bytes.
    public let data: [UInt8]

    /// An array from raw little-endian, row-major element bytes.
    ///
    /// The byte count must match the shape and dtype (a programmer error otherwise).
    public init(shape: [Int], dtype: SerializedDType, data: [UInt8]) {
        guard let (_, byteCount) = SerializationSupport.elementCount(of: shape, byteCount: dtype.byteCount) else {
            preconditionFailure("NPYArray: invalid shape \(shape)")
        }
        precondition(byteCount == data.count,
                     "NPYArray: shape \(shape) of \(dtype) needs \(byteCount) bytes, got \(data.count)")
        self.shape = shape
        self.dtype = dtype
        self.data = data
    }

    /// An array holding `scalars` (row-major) with the given shape, stored as `T`'s dtype.
    public init<T: NPYScalar>(shape: [Int], scalars: [T]) {
        let bytes = scalars.withUnsafeBytes { [UInt8]($0) }
        self.init(shape: shape, dtype: T.serializedDType, data: bytes)
    }

    /// The tensor's scalars as a float32 array of the same shape.
    public init(_ tensor: Tensor) {
        let bytes = tensor.withUnsafeBufferPointer { [UInt8](UnsafeRawBufferPointer($0)) }
        self.init(shape: tensor.shape, dtype: .float32, data: bytes)
    }

    /// The number of elements.
    public var scalarCount: Int { data.count / dtype.byteCount }

    /// The elements converted to `Float` (integers beyond 2²⁴ and float64 values round).
    public func floats() -> [Float] {
        [Float](unsafeUninitializedCapacity: scalarCount) { buffer, initialized in
            data.withUnsafeBytes { dtype.convert($0, toFloats: buffer) }
            initialized = buffer.count
        }
    }

    /// The elements as a float32 `Tensor` of the same shape.
    public func tensor() -> Tensor {
        data.withUnsafeBytes { raw in
            Tensor(shape: shape) { dtype.convert(raw, toFloats: $0) }
        }
    }

    /// The elements as exact integers: any integer or boolean dtype, or floats that hold
    /// whole numbers.
    ///
    /// - Throws: `SerializationError.notRepresentable` if a value is fractional, not finite,
    ///   or beyond `Int`'s range.
    public func integers() throws -> [Int] {
        var exact = true
        let values = [Int](unsafeUninitializedCapacity: scalarCount) { buffer, initialized in
            exact = data.withUnsafeBytes { dtype.convert($0, toIntegers: buffer) }
            // Int is trivial, so a partly written buffer can be dropped whole.
            initialized = exact ? buffer.count : 0
        }
        guard exact else { throw SerializationError.notRepresentable(file: "NPYArray", dtype: "\(dtype)", requested: "Int") }
        return values
    }

    /// The elements as `T`, which must be the stored type exactly (`UInt8` for `uint8`...).
    ///
    /// - Throws: `SerializationError.notRepresentable` if the dtype is not `T`'s.
    public func scalars<T: NPYScalar>(as type: T.Type) throws -> [T] {
        guard dtype == T.serializedDType else {
            throw SerializationError.notRepresentable(file: "NPYArray", dtype: "\(dtype)", requested: "\(T.self)")
        }
        return [T](unsafeUninitializedCapacity: scalarCount) { buffer, initialized in
            data.withUnsafeBytes { raw in
                if let base = buffer.baseAddress, let source = raw.baseAddress {
                    UnsafeMutableRawPointer(base).copyMemory(from: source, byteCount: raw.count)
                }
            }
            initialized = buffer.count
        }
    }
}
