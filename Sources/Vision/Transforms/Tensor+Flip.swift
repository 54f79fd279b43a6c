import Tensor

extension Tensor {
    /// The CHW image mirrored left to right.
    public func flippedHorizontally() -> Tensor {
        let layout = ImageLayout(self, "flippedHorizontally()")
        let width = layout.width
        return Tensor(shape: shape) { out in
            withUnsafeBufferPointer { input in
                for row in 0..<(layout.channels * layout.height) {
                    let source = input.baseAddress! + row * width, target = out.baseAddress! + row * width
                    for x in 0..<width { target[x] = source[width - 1 - x] }
                }
            }
        }
    }

    /// The CHW image mirrored top to bottom.
    public func flippedVertically() -> Tensor {
        let layout = ImageLayout(self, "flippedVertically()")
        let (height, width) = (layout.height, layout.width)
        return Tensor(shape: shape) { out in
            withUnsafeBufferPointer { input in
                for c in 0..<layout.channels {
                    for y in 0..<height {
                        let source = input.baseAddress! + (c * height + height - 1 - y) * width
                        (out.baseAddress! + (c * height + y) * width).update(from: source, count: width)
                    }
                }
            }
        }
    }
}
