import Tensor

/// Convolution as matrix products: per block of images and group,
/// `output = weight · im2col(input)`.
///
/// Small feature maps (7×7, 4×4) make one GEMM per image a thin product that BLAS cannot block
/// well, so images go in blocks: the column matrices of a block's images sit side by side
/// (`columnRows` × `count·outputPlane`) and one GEMM serves them all, its result scattered back
/// to NCHW. Images are split across the cores in chunks; everything inside a chunk (im2col,
/// the GEMMs, col2im) then runs on that chunk's thread.
enum GEMMConvolution {
    static func forward(input: Tensor, weight: Tensor, bias: Tensor?, geometry geo: ConvolutionGeometry) -> Tensor {
        let plane = geo.outputPlane, og = geo.outChannelsPerGroup, rows = geo.columnRows
        return Tensor(shape: geo.outputShape) { out in
            input.withUnsafeBufferPointer { x in
                weight.withUnsafeBufferPointer { w in
                    bias.withOptionalPointer { b in
                        let x = x.baseAddress!, w = w.baseAddress!, y = out.baseAddress!
                        forEachImageChunk(geo) { images, block in
                            for (first, count) in block.blocks(of: images) {
                                let width = count * plane
                                for g in 0..<geo.groups {
                                    let columns = block.columns(of: x, images: first, count: count, group: g)
                                    // One image writes straight into the output; a block into the product scratch.
                                    let target = count == 1 ? y + (first * geo.outChannels + g * og) * plane : block.product
                                    // The bias goes in first so that the GEMM adds onto it (beta = 1).
                                    if let b {
                                        for r in 0..<og { (target + r * width).update(repeating: b[g * og + r], count: width) }
                                    }
                                    GEMM.multiply(w + g * og * rows, transposingA: false, columns, transposingB: false,
                                                  into: target, m: og, n: width, k: rows, beta: b == nil ? 0 : 1)
                                    if count > 1 { block.scatterProduct(into: y, images: first, count: count, group: g) }
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /// Gradients for the input (`Wᵀ · gradOut`, then col2im) and the weight
    /// (`gradOut · columnsᵀ`, summed over images), each only when needed.
    static func backward(gradient: Tensor, input: Tensor, weight: Tensor, geometry geo: ConvolutionGeometry,
                         needsInput: Bool, needsWeight: Bool) -> (Tensor?, Tensor?) {
        let plane = geo.outputPlane, og = geo.outChannelsPerGroup, rows = geo.columnRows
        // col2im accumulates: each chunk zeroes its own images first (in parallel, into cache).
        var gradInput: Tensor? = needsInput ? Tensor(shape: input.shape) { _ in } : nil
        let partials = PartialSums(count: needsWeight ? weight.scalarCount : 0)
        gradient.withUnsafeBufferPointer { gy in
            input.withUnsafeBufferPointer { x in
                weight.withUnsafeBufferPointer { w in
                    gradInput.withOptionalMutablePointer { gx in
                        let gy = gy.baseAddress!, x = x.baseAddress!, w = w.baseAddress!
                        forEachImageChunk(geo) { images, block in
                            gx?.zeroImages(images, of: geo.inChannels * geo.inputPlane)
                            partials.accumulate(index: images.lowerBound, zeroed: false) { gw in
                                for (first, count) in block.blocks(of: images) {
                                    let width = count * plane
                                    for g in 0..<geo.groups {
                                        let gyBlock = block.gatherProduct(from: gy, images: first, count: count, group: g)
                                        if let gw {
                                            let columns = block.columns(of: x, images: first, count: count, group: g)
                                            // The chunk's first block writes its buffer, later ones add.
                                            GEMM.multiply(gyBlock, transposingA: false, columns, transposingB: true,
                                                          into: gw + g * og * rows, m: og, n: rows, k: width,
                                                          beta: first == images.lowerBound ? 0 : 1)
                                        }
                                        guard let gx else { continue }
                                        // A pointwise convolution's column matrix of one image is the input gradient itself.
                                        let direct = geo.isPointwise && count == 1
                                        let inOffset = (first * geo.inChannels + g * geo.inChannelsPerGroup) * geo.inputPlane
                                        GEMM.multiply(w + g * og * rows, transposingA: true, gyBlock, transposingB: false,
                                                      into: direct ? gx + inOffset : block.columnScratch, m: rows, n: width, k: og)
                                        if !direct { block.addColumns(into: gx, images: first, count: count, group: g) }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return (gradInput, needsWeight ? partials.total(shape: weight.shape) : nil)
    }

    /// Runs `body` over ranges of images, split across the cores when there is enough work,
    /// with scratch for the range's blocks.
    static func forEachImageChunk(_ geo: ConvolutionGeometry, _ body: (Range<Int>, BlockScratch) -> Void) {
        let blockSize = imagesPerBlock(geo)
        forEachChunk(count: geo.batch, costPerItem: geo.outChannels * geo.outputPlane * geo.columnRows) { images in
            BlockScratch.with(geo, blockSize: min(blockSize, images.count)) { body(images, $0) }
        }
    }

    /// GEMMs narrower than this many columns take several images at once.
    static let targetColumns = 512

    /// Images per GEMM: one for maps of at least ``targetColumns`` positions.
    static func imagesPerBlock(_ geo: ConvolutionGeometry) -> Int {
        max(1, min(geo.batch, targetColumns / max(geo.outputPlane, 1)))
    }
}

/// The scratch matrices of one worker for blocks of up to `blockSize` images, and the copies
/// between them and NCHW tensors. Row `r` of a block matrix holds, side by side, row `r` of
/// each image's matrix (`outputPlane` wide), so its leading dimension is `count·outputPlane`.
struct BlockScratch {
    /// The convolution the scratch is for.
    let geo: ConvolutionGeometry
    /// The most images in a block.
    let blockSize: Int
    /// The column matrix (`columnRows` rows), unused by a single pointwise image.
    let columnScratch: UnsafeMutablePointer<Float>
    /// A block's output or output-gradient rows (`outChannelsPerGroup` rows); unused for single images.
    let product: UnsafeMutablePointer<Float>

    /// `(first image, count)` of consecutive blocks of at most `blockSize` images covering `images`.
    func blocks(of images: Range<Int>) -> [(Int, Int)] {
        stride(from: images.lowerBound, to: images.upperBound, by: blockSize).map { ($0, min(blockSize, images.upperBound - $0)) }
    }

    /// Calls `body` with scratch for blocks of up to `blockSize` images, valid during the call.
    static func with<R>(_ geo: ConvolutionGeometry, blockSize: Int, _ body: (BlockScratch) -> R) -> R {
        let width = blockSize * geo.outputPlane
        let columnCount = geo.isPointwise && blockSize == 1 ? 0 : geo.columnRows * width
        let productCount = blockSize > 1 ? geo.outChannelsPerGroup * width : 0
        return withScratch(count: columnCount) { columns in
            withScratch(count: productCount) { product in
                body(BlockScratch(geo: geo, blockSize: blockSize, columnScratch: columns, product: product))
            }
        }
    }

    /// The column matrix of images `first ..< first + count`, group `g`: the input itself for
    /// one pointwise image, else im2col into the scratch.
    func columns(of x: UnsafePointer<Float>, images first: Int, count: Int, group g: Int) -> UnsafePointer<Float> {
        let plane = geo.outputPlane
        if geo.isPointwise && count == 1 { return x + (first * geo.inChannels + g * geo.inChannelsPerGroup) * geo.inputPlane }
        for j in 0..<count {
            let xg = x + ((first + j) * geo.inChannels + g * geo.inChannelsPerGroup) * geo.inputPlane
            geo.im2col(xg, into: columnScratch + j * plane, rowStride: count * plane)
        }
        return UnsafePointer(columnScratch)
    }

    /// Adds the column matrix in the scratch back into the input gradient of each image (col2im).
    func addColumns(into gx: UnsafeMutablePointer<Float>, images first: Int, count: Int, group g: Int) {
        let plane = geo.outputPlane
        for j in 0..<count {
            let gxg = gx + ((first + j) * geo.inChannels + g * geo.inChannelsPerGroup) * geo.inputPlane
            geo.col2im(columnScratch + j * plane, addingInto: gxg, rowStride: count * plane)
        }
    }

    /// Copies the block product (`og` rows) into each image's output planes of group `g`.
    func scatterProduct(into y: UnsafeMutablePointer<Float>, images first: Int, count: Int, group g: Int) {
        let plane = geo.outputPlane, og = geo.outChannelsPerGroup
        for j in 0..<count {
            let yg = y + ((first + j) * geo.outChannels + g * og) * plane
            for r in 0..<og { (yg + r * plane).update(from: product + (r * count + j) * plane, count: plane) }
        }
    }

    /// The output gradient of images `first ..< first + count`, group `g`, as block rows: the
    /// tensor itself for one image, else gathered into the product scratch.
    func gatherProduct(from gy: UnsafePointer<Float>, images first: Int, count: Int, group g: Int) -> UnsafePointer<Float> {
        let plane = geo.outputPlane, og = geo.outChannelsPerGroup
        if count == 1 { return gy + (first * geo.outChannels + g * og) * plane }
        for j in 0..<count {
            let gyg = gy + ((first + j) * geo.outChannels + g * og) * plane
            for r in 0..<og { (product + (r * count + j) * plane).update(from: gyg + r * plane, count: plane) }
        }
        return UnsafePointer(product)
    }
}
