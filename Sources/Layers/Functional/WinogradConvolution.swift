import Tensor

/// 3×3 stride-1 convolutions by Winograd's minimal filtering F(2×2, 3×3): 16 multiply–adds per
/// 2×2 output tile and channel pair instead of 36, i.e. 2.25× fewer than im2col + GEMM, with
/// 4 instead of 9 scratch values per input position.
///
/// Per block of images: transform every input window (``WinogradTiling``), run one GEMM per
/// element of the transformed 4×4 tile (`M_ξ = U_ξ · V_ξ`, output × input channels times input
/// channels × tiles), transform back. The backward pass is the exact adjoint of those steps —
/// `dM` by the transposed output transform, then `dV_ξ = U_ξᵀ · dM_ξ` for the input and
/// `dU_ξ = dM_ξ · V_ξᵀ` for the weight, then the transposed input and kernel transforms — so
/// it computes the gradient of the convolution without a second algorithm. Input transforms
/// are recomputed in the backward pass rather than kept: they cost additions only, and
/// keeping them would cost four activations' worth of memory per layer.
enum WinogradConvolution {
    /// Fewer channels than this make the 16 GEMMs too thin to beat one im2col GEMM (the
    /// 1-channel stem of the zoo's models, for instance).
    static let minimumChannels = 16
    /// On maps narrower than this (7×7 and below), with fewer than ``wideChannels`` channels,
    /// the transforms' per-row work outweighs the multiplies saved: the 28-px CompactCNN's
    /// last two blocks ran faster as im2col + GEMM.
    static let minimumWidth = 8
    /// From this many input and output channels the saved multiplies win on any map size
    /// (ResNet-18's 512-channel 4×4 and 7×7 maps).
    static let wideChannels = 128

    /// Whether this algorithm computes `geo` (3×3 kernel, stride 1, no dilation, one group)
    /// and is worth it there.
    static func isApplicable(_ geo: ConvolutionGeometry) -> Bool {
        geo.kernelHeight == 3 && geo.kernelWidth == 3 && geo.strideY == 1 && geo.strideX == 1
            && geo.dilationY == 1 && geo.dilationX == 1 && geo.groups == 1
            && geo.inChannels >= minimumChannels && geo.outChannels >= minimumChannels
            && (geo.outWidth >= minimumWidth || min(geo.inChannels, geo.outChannels) >= wideChannels)
    }

    static func forward(input: Tensor, weight: Tensor, bias: Tensor?, geometry geo: ConvolutionGeometry) -> Tensor {
        let tiling = WinogradTiling(geo)
        let outC = geo.outChannels, inC = geo.inChannels, tiles = tiling.tilesPerImage
        let kernels = transformedKernels(weight, geo)
        return Tensor(shape: geo.outputShape) { out in
            input.withUnsafeBufferPointer { x in
                kernels.withUnsafeBufferPointer { u in
                    bias.withOptionalPointer { b in
                        let x = x.baseAddress!, u = u.baseAddress!, y = out.baseAddress!
                        forEachBlock(tiling) { first, count, v, m in
                            let width = count * tiles
                            transformInputs(x, tiling, images: first, count: count, into: v)
                            for e in 0..<16 {
                                GEMM.multiply(u + e * outC * inC, transposingA: false, v + e * inC * width, transposingB: false,
                                              into: m + e * outC * width, m: outC, n: width, k: inC)
                            }
                            forEachPlane(count: count * outC, tiling) { plane, _ in
                                let (j, k) = plane.quotientAndRemainder(dividingBy: outC)
                                tiling.transformOutput(m + k * width + j * tiles, elementStride: outC * width, bias: b?[k] ?? 0,
                                                       into: y + ((first + j) * outC + k) * geo.outputPlane)
                            }
                        }
                    }
                }
            }
        }
    }

    /// Gradients for the input and the weight, each only when needed.
    static func backward(gradient: Tensor, input: Tensor, weight: Tensor, geometry geo: ConvolutionGeometry,
                         needsInput: Bool, needsWeight: Bool) -> (Tensor?, Tensor?) {
        let tiling = WinogradTiling(geo)
        let outC = geo.outChannels, inC = geo.inChannels, tiles = tiling.tilesPerImage
        let kernels: Tensor? = needsInput ? transformedKernels(weight, geo) : nil  // dV = Uᵀ·dM needs them
        // Overlapping windows accumulate: each chunk zeroes its own images first.
        var gradInput: Tensor? = needsInput ? Tensor(shape: input.shape) { _ in } : nil
        let partials = PartialSums(count: needsWeight ? 16 * outC * inC : 0)
        gradient.withUnsafeBufferPointer { gy in
            input.withUnsafeBufferPointer { x in
                kernels.withOptionalPointer { u in
                    gradInput.withOptionalMutablePointer { gx in
                        let gy = gy.baseAddress!, x = x.baseAddress!
                        forEachImageChunk(tiling) { images in
                            gx?.zeroImages(images, of: inC * geo.inputPlane)
                            partials.accumulate(index: images.lowerBound, zeroed: false) { du in
                                forEachBlock(tiling, images: images) { first, count, v, dm in
                                    let width = count * tiles
                                    forEachPlane(count: count * outC, tiling) { plane, rows in
                                        let (j, k) = plane.quotientAndRemainder(dividingBy: outC)
                                        tiling.transformOutputAdjoint(gy + ((first + j) * outC + k) * geo.outputPlane,
                                                                      into: dm + k * width + j * tiles, elementStride: outC * width,
                                                                      rows: rows)
                                    }
                                    if let du {
                                        transformInputs(x, tiling, images: first, count: count, into: v)
                                        for e in 0..<16 {
                                            // The chunk's first block writes its buffer, later ones add.
                                            GEMM.multiply(dm + e * outC * width, transposingA: false, v + e * inC * width,
                                                          transposingB: true, into: du + e * outC * inC,
                                                          m: outC, n: inC, k: width, beta: first == images.lowerBound ? 0 : 1)
                                        }
                                    }
                                    guard let gx, let u else { return }
                                    for e in 0..<16 {  // dV overwrites V, no longer needed
                                        GEMM.multiply(u + e * outC * inC, transposingA: true, dm + e * outC * width,
                                                      transposingB: false, into: v + e * inC * width, m: inC, n: width, k: outC)
                                    }
                                    forEachPlane(count: count * inC, tiling) { plane, rows in
                                        let (j, c) = plane.quotientAndRemainder(dividingBy: inC)
                                        tiling.addInputAdjoint(v + c * width + j * tiles, elementStride: inC * width,
                                                               into: gx + ((first + j) * inC + c) * geo.inputPlane, rows: rows)
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        guard needsWeight else { return (gradInput, nil) }
        let transformedGradient = partials.total(shape: [16, outC, inC])
        let gradWeight = Tensor(shape: weight.shape) { gw in
            gw.initialize(repeating: 0)
            transformedGradient.withUnsafeBufferPointer { du in
                let du = du.baseAddress!, gw = gw.baseAddress!
                forEachChunk(count: outC * inC, costPerItem: 64) { kernels in
                    WinogradTiling.addKernelAdjoints(du, kernels, elementStride: outC * inC, into: gw)
                }
            }
        }
        return (gradInput, gradWeight)
    }

    /// `U = G g Gᵀ` of every kernel, element-major: `[16, outChannels, inChannels]`.
    private static func transformedKernels(_ weight: Tensor, _ geo: ConvolutionGeometry) -> Tensor {
        let count = geo.outChannels * geo.inChannels
        return Tensor(shape: [16, geo.outChannels, geo.inChannels]) { u in
            weight.withUnsafeBufferPointer { g in
                let g = g.baseAddress!, u = u.baseAddress!
                forEachChunk(count: count, costPerItem: 64) { kernels in
                    WinogradTiling.transformKernels(g, kernels, into: u, elementStride: count)
                }
            }
        }
    }

    /// `V` of images `first ..< first + count` into `v` (`[16, inChannels, count·tiles]`).
    private static func transformInputs(_ x: UnsafePointer<Float>, _ tiling: WinogradTiling, images first: Int, count: Int,
                                        into v: UnsafeMutablePointer<Float>) {
        let inC = tiling.geo.inChannels, tiles = tiling.tilesPerImage, width = count * tiles
        forEachPlane(count: count * inC, tiling) { plane, rows in
            let (j, c) = plane.quotientAndRemainder(dividingBy: inC)
            tiling.transformInput(x + ((first + j) * inC + c) * tiling.geo.inputPlane, into: v + c * width + j * tiles,
                                  elementStride: inC * width, rows: rows)
        }
    }

    /// Calls `body` for planes `0 ..< count` (split across the cores unless already inside a
    /// split), each worker with scratch for four padded rows.
    private static func forEachPlane(count: Int, _ tiling: WinogradTiling,
                                     _ body: (_ plane: Int, _ rows: UnsafeMutablePointer<Float>) -> Void) {
        forEachChunk(count: count, costPerItem: 48 * tiling.tilesPerImage) { planes in
            withScratch(count: tiling.rowScratchCount) { rows in
                for plane in planes { body(plane, rows) }
            }
        }
    }

    /// Runs `body` over ranges of images, split across the cores when there is enough work.
    private static func forEachImageChunk(_ tiling: WinogradTiling, _ body: (Range<Int>) -> Void) {
        let geo = tiling.geo
        forEachChunk(count: geo.batch, costPerItem: 16 * geo.outChannels * geo.inChannels * tiling.tilesPerImage, body)
    }

    /// Tiles per GEMM that keep the 16 products wide enough for BLAS; smaller maps group images.
    static let targetTiles = 128

    /// Calls `body(first, count, v, m)` for consecutive blocks of images of `images` (all of
    /// them, split across the cores, by default), with scratch `v` for `[16, inChannels, tiles]`
    /// and `m` for `[16, outChannels, tiles]` valid during the call.
    private static func forEachBlock(
        _ tiling: WinogradTiling, images: Range<Int>? = nil,
        _ body: (_ first: Int, _ count: Int, _ v: UnsafeMutablePointer<Float>, _ m: UnsafeMutablePointer<Float>) -> Void
    ) {
        let geo = tiling.geo
        func run(_ images: Range<Int>) {
            let blockSize = max(1, min(images.count, targetTiles / tiling.tilesPerImage))
            let width = blockSize * tiling.tilesPerImage
            // Room past the end for the transforms' last 8-wide loads.
            withScratch(count: 16 * geo.inChannels * width + WinogradTiling.overread) { v in
                withScratch(count: 16 * geo.outChannels * width + WinogradTiling.overread) { m in
                    for first in stride(from: images.lowerBound, to: images.upperBound, by: blockSize) {
                        body(first, min(blockSize, images.upperBound - first), v, m)
                    }
                }
            }
        }
        if let images { run(images) } else { forEachImageChunk(tiling, run) }
    }
}
