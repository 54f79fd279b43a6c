// Rearranging element bytes into Fathom's layout: little-endian and row-major.

import Tensor

extension NPY {
    /// Reverses the bytes of every `elementSize`-byte element (big-endian to little-endian).
    static func swapByteOrder(_ data: inout [UInt8], elementSize: Int) {
        guard elementSize > 1 else { return }
        data.withUnsafeMutableBufferPointer { bytes in
            var start = 0
            while start + elementSize <= bytes.count {
                var (low, high) = (start, start + elementSize - 1)
                while low < high {
                    bytes.swapAt(low, high)
                    low += 1
                    high -= 1
                }
                start += elementSize
            }
        }
    }

    /// Reorders Fortran-order (first axis fastest) element bytes into row-major order.
    ///
    /// `shape` has rank ≥ 2 and a non-zero element count matching `data`.
    static func transposeFromFortranOrder(_ data: [UInt8], shape: [Int], elementSize: Int) -> [UInt8] {
        switch elementSize {
        case 1: return transpose(data, shape: shape, as: UInt8.self)
        case 2: return transpose(data, shape: shape, as: UInt16.self)
        case 4: return transpose(data, shape: shape, as: UInt32.self)
        default: return transpose(data, shape: shape, as: UInt64.self)
        }
    }

    private static func transpose<Element: FixedWidthInteger>(_ data: [UInt8], shape: [Int], as _: Element.Type) -> [UInt8] {
        let rank = shape.count
        // Fortran strides, in elements: the first axis is contiguous.
        var strides = [Int](repeating: 1, count: rank)
        for axis in 1..<rank { strides[axis] = strides[axis - 1] * shape[axis - 1] }
        let innerCount = shape[rank - 1]
        let innerStride = strides[rank - 1]
        let size = MemoryLayout<Element>.size

        return [UInt8](unsafeUninitializedCapacity: data.count) { output, initialized in
            data.withUnsafeBytes { source in
                let target = UnsafeMutableRawBufferPointer(output)
                var index = [Int](repeating: 0, count: rank - 1)  // Odometer over the outer axes.
                var base = 0  // Source offset of the current row, in elements.
                var written = 0
                while true {
                    for j in 0..<innerCount {
                        let value = source.loadUnaligned(fromByteOffset: (base + j * innerStride) * size, as: Element.self)
                        target.storeBytes(of: value, toByteOffset: written * size, as: Element.self)
                        written += 1
                    }
                    // Advance the odometer, last outer axis fastest (row-major order).
                    var axis = rank - 2
                    while axis >= 0 {
                        index[axis] += 1
                        base += strides[axis]
                        if index[axis] < shape[axis] { break }
                        base -= strides[axis] * shape[axis]
                        index[axis] = 0
                        axis -= 1
                    }
                    if axis < 0 { break }
                }
            }
            initialized = data.count
        }
    }
}
