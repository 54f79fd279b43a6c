import Layers
import Tensor

extension AdaptiveAvgPool2D: ONNXExportable {
    /// ONNX has no adaptive pooling; at the export's fixed input size it is one of:
    ///
    /// - `GlobalAveragePool` for a 1×1 output (ResNet's);
    /// - `AveragePool` with kernel = stride = input/output when both sides divide evenly
    ///   (VGG's 7×7 at 224 px);
    /// - otherwise two `MatMul`s with constant averaging matrices, `P_h · x · P_wᵀ`, whose rows
    ///   average PyTorch's bins `[⌊i·in/out⌋, ⌈(i+1)·in/out⌉)` (VGG's 7×7 from a 1×1 map at 32 px).
    public func export(_ input: ONNXValue, into graph: inout ONNXGraphBuilder) throws -> ONNXValue {
        try graph.requireFeatureMap(input)
        let (channels, height, width) = (input.featureShape[0], input.featureShape[1], input.featureShape[2])
        let (outHeight, outWidth) = outputSize
        if outHeight == 1 && outWidth == 1 {
            return graph.node("GlobalAveragePool", [input.name], featureShape: [channels, 1, 1])
        }
        if height % outHeight == 0 && width % outWidth == 0 {
            let kernel = (height / outHeight, width / outWidth)
            return graph.pool("AveragePool", input, kernel: kernel, stride: kernel, padding: (0, 0))
        }
        let rows = graph.constant("rows", Self.averagingMatrix(from: height, to: outHeight))
        let columns = graph.constant("columns", Self.averagingMatrix(from: width, to: outWidth).transposed())
        let pooledRows = graph.matmul(rows, input.name, featureShape: [channels, outHeight, width])
        return graph.matmul(pooledRows.name, columns, featureShape: [channels, outHeight, outWidth])
    }

    /// `[out, in]`: row `i` holds 1/count over the input positions of output bin `i`.
    static func averagingMatrix(from size: Int, to out: Int) -> Tensor {
        var scalars = [Float](repeating: 0, count: out * size)
        for i in 0..<out {
            let start = i * size / out, end = ((i + 1) * size + out - 1) / out
            for j in start..<end { scalars[i * size + j] = 1 / Float(end - start) }
        }
        return Tensor(shape: [out, size], scalars: scalars)
    }
}
