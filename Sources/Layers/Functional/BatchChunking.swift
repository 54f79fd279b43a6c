import Tensor

/// `body` applied to consecutive slices of `input`'s batch, the results stacked again along
/// the batch axis.
///
/// In inference the images of a batch are independent (batch norm uses its running
/// statistics), so a layer whose intermediate maps are much larger than its input and output
/// can run a few images at a time: its largest intermediate then exists for `imagesPerChunk`
/// images, not for the whole batch. The fusion transform (``FusedModel``) runs ResNet's stem
/// this way — at 224 px and batch 32 its convolution output is 102 MB, its pooled output only
/// 26 MB — and the expansion blocks of MobileNetV2 and EfficientNet-Lite.
///
/// - Parameters:
///   - imagesPerChunk: at most this many images per call (the batch is split into near-equal
///     chunks).
///   - body: must map `[n, …]` to `[n, …]` with the same trailing shape for every `n`, and
///     must not record on the tape (callers use it only where nothing is recorded).
func inBatchChunks(_ input: Tensor, imagesPerChunk: Int, _ body: (Tensor) -> Tensor) -> Tensor {
    let batch = input.shape[0]
    let chunks = (batch + Swift.max(imagesPerChunk, 1) - 1) / Swift.max(imagesPerChunk, 1)
    guard chunks > 1 else { return body(input) }
    let size = (batch + chunks - 1) / chunks
    let first = body(input.slice(alongAxis: 0, start: 0, end: size))
    let perImage = first.scalarCount / size
    return Tensor(shape: [batch] + first.shape.dropFirst()) { out in
        let out = out.baseAddress!
        var start = 0
        var part: Tensor? = first
        while start < batch {
            let end = Swift.min(start + size, batch)
            let result = part ?? body(input.slice(alongAxis: 0, start: start, end: end))
            part = nil
            precondition(result.shape == [end - start] + first.shape.dropFirst(),
                         "inBatchChunks: chunk output \(result.shape) does not match the first chunk's \(first.shape)")
            result.withUnsafeBufferPointer { (out + start * perImage).update(from: $0.baseAddress!, count: $0.count) }
            start = end
        }
    }
}

/// The number of images per chunk that keeps an intermediate map of `bytesPerImage` per image
/// near `budgetBytes` for a chunk: a multiple of the core count (convolutions split a chunk's
/// images over the cores), at least one image per core.
func imagesPerChunk(budgetBytes: Int, bytesPerImage: Int) -> Int {
    let cores = Parallel.coreCount
    return Swift.max(cores, budgetBytes / Swift.max(bytesPerImage, 1) / cores * cores)
}

/// The bytes of one image's output of a convolution of `input` (an NCHW shape).
func convolutionOutputBytesPerImage(input: [Int], weight: [Int], stride: (Int, Int), padding: Padding2D,
                                    dilation: (Int, Int), groups: Int) -> Int {
    let geometry = ConvolutionGeometry(input: [1] + input.dropFirst(), weight: weight, stride: stride, padding: padding,
                                       dilation: dilation, groups: groups)
    return geometry.outChannels * geometry.outHeight * geometry.outWidth * MemoryLayout<Float>.stride
}

/// The budget for one chunk's largest intermediate map in ``inBatchChunks(_:imagesPerChunk:_:)``:
/// large enough that a chunk still feeds both cores with big matrix products, small next to
/// the full-batch maps it replaces (100–150 MB at 224 px, batch 32).
let inferenceChunkBytes = 16 << 20
