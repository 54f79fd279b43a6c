import Tensor

/// Sizes of one 2-D convolution, validated once and shared by every kernel (im2col, col2im,
/// the depthwise loops and the backward passes).
struct ConvolutionGeometry {
    let batch: Int, inChannels: Int, height: Int, width: Int
    let outChannels: Int, kernelHeight: Int, kernelWidth: Int
    let strideY: Int, strideX: Int, dilationY: Int, dilationX: Int
    let padTop: Int, padLeft: Int
    let outHeight: Int, outWidth: Int
    let groups: Int
    /// Whether the convolution reads its input exactly as the column matrix (1×1 kernel,
    /// stride 1, no padding): im2col would be a copy.
    let isPointwise: Bool

    init(input: [Int], weight: [Int], stride: (Int, Int), padding: Padding2D, dilation: (Int, Int), groups: Int) {
        precondition(input.count == 4, "conv2d: input must be NCHW (rank 4), got shape \(input)")
        precondition(weight.count == 4, "conv2d: weight must be OIHW (rank 4), got shape \(weight)")
        precondition(stride.0 > 0 && stride.1 > 0, "conv2d: stride \(stride) must be positive")
        precondition(dilation.0 > 0 && dilation.1 > 0, "conv2d: dilation \(dilation) must be positive")
        precondition(groups > 0, "conv2d: groups \(groups) must be positive")
        batch = input[0]; inChannels = input[1]; height = input[2]; width = input[3]
        outChannels = weight[0]; kernelHeight = weight[2]; kernelWidth = weight[3]
        precondition(inChannels % groups == 0 && outChannels % groups == 0,
                     "conv2d: groups \(groups) must divide input channels \(inChannels) and output channels \(outChannels) (input \(input), weight \(weight))")
        precondition(weight[1] * groups == inChannels,
                     "conv2d: input \(input) has \(inChannels) channels but weight \(weight) with groups \(groups) expects \(weight[1] * groups)")
        precondition(kernelHeight > 0 && kernelWidth > 0, "conv2d: empty kernel in weight \(weight)")
        strideY = stride.0; strideX = stride.1; dilationY = dilation.0; dilationX = dilation.1
        self.groups = groups
        let pad = padding.resolved(height: height, width: width, kernelSize: (kernelHeight, kernelWidth),
                                   stride: stride, dilation: dilation)
        padTop = pad.top; padLeft = pad.left
        let spanY = (kernelHeight - 1) * dilationY + 1, spanX = (kernelWidth - 1) * dilationX + 1
        let paddedY = height + pad.top + pad.bottom, paddedX = width + pad.left + pad.right
        precondition(paddedY >= spanY && paddedX >= spanX,
                     "conv2d: kernel \(weight) with dilation \(dilation) does not fit input \(input) padded by \(pad)")
        outHeight = (paddedY - spanY) / strideY + 1
        outWidth = (paddedX - spanX) / strideX + 1
        isPointwise = kernelHeight == 1 && kernelWidth == 1 && strideY == 1 && strideX == 1
            && pad == (0, 0, 0, 0)
    }

    var inChannelsPerGroup: Int { inChannels / groups }
    var outChannelsPerGroup: Int { outChannels / groups }
    var inputPlane: Int { height * width }
    var outputPlane: Int { outHeight * outWidth }
    var kernelArea: Int { kernelHeight * kernelWidth }
    /// Rows of one group's column matrix: one per (input channel, kernel tap).
    var columnRows: Int { inChannelsPerGroup * kernelArea }
    var outputShape: [Int] { [batch, outChannels, outHeight, outWidth] }

    /// Calls `body` for every kernel tap (row-major index `tap` = ky·kW + kx) with the output
    /// rows and columns whose input position lies inside the image, and the input offset of
    /// output (0, 0) for that tap: output (oy, ox) reads input element
    /// `oy·strideY·width + ox·strideX + offset`. Computing the valid ranges once per tap keeps
    /// bounds tests out of every inner loop.
    func forEachTap(_ body: (_ tap: Int, _ rows: Range<Int>, _ columns: Range<Int>, _ offset: Int) -> Void) {
        for ky in 0..<kernelHeight {
            let rowOffset = ky * dilationY - padTop
            let rows = Self.validRange(offset: rowOffset, stride: strideY, inputSize: height, outputSize: outHeight)
            for kx in 0..<kernelWidth {
                let columnOffset = kx * dilationX - padLeft
                let columns = Self.validRange(offset: columnOffset, stride: strideX, inputSize: width, outputSize: outWidth)
                body(ky * kernelWidth + kx, rows, columns, rowOffset * width + columnOffset)
            }
        }
    }

    /// The outputs `o` with `0 ≤ o·stride + offset < inputSize`.
    static func validRange(offset: Int, stride: Int, inputSize: Int, outputSize: Int) -> Range<Int> {
        let low = offset >= 0 ? 0 : (-offset + stride - 1) / stride
        let last = inputSize - 1 - offset
        let high = last < 0 ? 0 : Swift.min(outputSize, last / stride + 1)
        return low < high ? low..<high : 0..<0
    }
}
