import Tensor

extension Tensor {
    /// The CHW image mirrored left to right (differentiable: the gradient is mirrored back).
    public func flippedHorizontally() -> Tensor {
        let layout = ImageLayout(self, "flippedHorizontally()")
        let width = layout.width
        let result = Tensor(shape: shape) { out in
            withUnsafeBufferPointer { input in
                for row in 0..<(layout.channels * layout.height) {
                    let source = input.baseAddress! + row * width, target = out.baseAddress! + row * width
                    for x in 0..<width { target[x] = source[width - 1 - x] }
                }
            }
        }
        return Tensor.record("flippedHorizontally", result: result, inputs: [self]) { [$0.flippedHorizontally()] }
    }

    /// The CHW image mirrored top to bottom (differentiable: the gradient is mirrored back).
    public func flippedVertically() -> Tensor {
        let layout = ImageLayout(self, "flippedVertically()")
        let (height, width) = (layout.height, layout.width)
        let result = Tensor(shape: shape) { out in
            withUnsafeBufferPointer { input in
                for c in 0..<layout.channels {
                    for y in 0..<height {
                        let source = input.baseAddress! + (c * height + height - 1 - y) * width
                        (out.baseAddress! + (c * height + y) * width).update(from: source, count: width)
                    }
                }
            }
        }
        return Tensor.record("flippedVertically", result: result, inputs: [self]) { [$0.flippedVertically()] }
    }
}
