import CBLAS
import Tensor

/// Convolution as matrix products: per image and group, `output = weight · im2col(input)`.
enum GEMMConvolution {
    static func forward(input: Tensor, weight: Tensor, bias: Tensor?, geometry geo: ConvolutionGeometry) -> Tensor {
        let plane = geo.outputPlane, og = geo.outChannelsPerGroup, rows = geo.columnRows
        return Tensor(shape: geo.outputShape) { out in
            input.withUnsafeBufferPointer { x in
                weight.withUnsafeBufferPointer { w in
                    bias.withOptionalPointer { b in
                        let x = x.baseAddress!, w = w.baseAddress!, y = out.baseAddress!
                        forEachImageChunk(geo) { images, parallelInside in
                            withScratch(count: geo.isPointwise ? 0 : rows * plane) { columns in
                                for n in images {
                                    for g in 0..<geo.groups {
                                        let xg = x + (n * geo.inChannels + g * geo.inChannelsPerGroup) * geo.inputPlane
                                        let yg = y + (n * geo.outChannels + g * og) * plane
                                        if !geo.isPointwise { geo.im2col(xg, into: columns, parallel: parallelInside) }
                                        // The bias goes in first so that the GEMM adds onto it (beta = 1).
                                        if let b {
                                            for r in 0..<og { (yg + r * plane).update(repeating: b[g * og + r], count: plane) }
                                        }
                                        GEMM.multiply(w + g * og * rows, transposingA: false,
                                                      geo.isPointwise ? xg : UnsafePointer(columns), transposingB: false,
                                                      into: yg, m: og, n: plane, k: rows, beta: b == nil ? 0 : 1)
                                    }
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
        var gradInput: Tensor? = needsInput ? Tensor.zeros(input.shape) : nil  // col2im accumulates
        let partials = PartialSums(count: needsWeight ? weight.scalarCount : 0)
        gradient.withUnsafeBufferPointer { gy in
            input.withUnsafeBufferPointer { x in
                weight.withUnsafeBufferPointer { w in
                    gradInput.withOptionalMutablePointer { gx in
                        let gy = gy.baseAddress!, x = x.baseAddress!, w = w.baseAddress!
                        forEachImageChunk(geo) { images, parallelInside in
                            withScratch(count: geo.isPointwise ? 0 : rows * plane) { columns in
                                partials.accumulate { gw in
                                    for n in images {
                                        for g in 0..<geo.groups {
                                            let inOffset = (n * geo.inChannels + g * geo.inChannelsPerGroup) * geo.inputPlane
                                            let gyg = gy + (n * geo.outChannels + g * og) * plane
                                            if let gw {
                                                let xg = x + inOffset
                                                if !geo.isPointwise { geo.im2col(xg, into: columns, parallel: parallelInside) }
                                                GEMM.multiply(gyg, transposingA: false,
                                                              geo.isPointwise ? xg : UnsafePointer(columns), transposingB: true,
                                                              into: gw + g * og * rows, m: og, n: rows, k: plane, beta: 1)
                                            }
                                            if let gx {
                                                // A pointwise convolution's column matrix is the input gradient itself.
                                                let target = geo.isPointwise ? gx + inOffset : columns
                                                GEMM.multiply(w + g * og * rows, transposingA: true, gyg, transposingB: false,
                                                              into: target, m: rows, n: plane, k: og)
                                                if !geo.isPointwise { geo.col2im(columns, addingInto: gx + inOffset, parallel: parallelInside) }
                                            }
                                        }
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

    /// Runs `body` over ranges of images, telling it whether to parallelize inside an image.
    ///
    /// A multithreaded OpenBLAS already spreads each GEMM over the cores, and calling it from
    /// several of our own workers at once oversubscribes the cores badly (measured 2–3× slower
    /// on 2 cores), so then images run in order and only im2col/col2im split their channels.
    /// With a single-threaded BLAS (`OPENBLAS_NUM_THREADS=1`) the images are split instead.
    static func forEachImageChunk(_ geo: ConvolutionGeometry, _ body: (Range<Int>, _ parallelInside: Bool) -> Void) {
        if openblas_get_num_threads() > 1 {
            body(0..<geo.batch, true)
        } else {
            forEachChunk(count: geo.batch, costPerItem: geo.outChannels * geo.outputPlane * geo.columnRows) { body($0, false) }
        }
    }
}
