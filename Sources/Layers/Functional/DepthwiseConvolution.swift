import Tensor

/// Direct loops for convolutions with one input channel per group (depthwise, possibly with a
/// channel multiplier `O / C`): a GEMM per channel would have a single row and waste its
/// blocking, while the direct loop streams each input plane once per tap.
enum DepthwiseConvolution {
    static func forward(input: Tensor, weight: Tensor, bias: Tensor?, geometry geo: ConvolutionGeometry) -> Tensor {
        let multiplier = geo.outChannelsPerGroup, plane = geo.outputPlane, taps = geo.kernelArea
        return Tensor(shape: geo.outputShape) { out in
            input.withUnsafeBufferPointer { x in
                weight.withUnsafeBufferPointer { w in
                    bias.withOptionalPointer { b in
                        let x = x.baseAddress!, w = w.baseAddress!, y = out.baseAddress!
                        // One work item per (image, input channel): its output planes are disjoint.
                        forEachChunk(count: geo.batch * geo.inChannels, costPerItem: multiplier * plane * taps) { items in
                            for item in items {
                                let (n, c) = item.quotientAndRemainder(dividingBy: geo.inChannels)
                                for o in (c * multiplier)..<((c + 1) * multiplier) {
                                    let yo = y + (n * geo.outChannels + o) * plane
                                    yo.update(repeating: b?[o] ?? 0, count: plane)
                                    geo.depthwisePlane(input: x + item * geo.inputPlane, taps: w + o * taps, addingInto: yo)
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /// Input and weight gradients. Work is split by input channel with every image inside, so
    /// that each thread owns its channels' input-gradient planes and weight taps.
    static func backward(gradient: Tensor, input: Tensor, weight: Tensor, geometry geo: ConvolutionGeometry,
                         needsInput: Bool, needsWeight: Bool) -> (Tensor?, Tensor?) {
        let multiplier = geo.outChannelsPerGroup, plane = geo.outputPlane, taps = geo.kernelArea
        var gradInput: Tensor? = needsInput ? Tensor.zeros(input.shape) : nil
        var gradWeight: Tensor? = needsWeight ? Tensor.zeros(weight.shape) : nil
        gradient.withUnsafeBufferPointer { gy in
            input.withUnsafeBufferPointer { x in
                weight.withUnsafeBufferPointer { w in
                    gradInput.withOptionalMutablePointer { gx in
                        gradWeight.withOptionalMutablePointer { gw in
                            let gy = gy.baseAddress!, x = x.baseAddress!, w = w.baseAddress!
                            let cost = geo.batch * multiplier * plane * taps * 2
                            forEachChunk(count: geo.inChannels, costPerItem: cost) { channels in
                                for c in channels {
                                    for n in 0..<geo.batch {
                                        let inOffset = (n * geo.inChannels + c) * geo.inputPlane
                                        for o in (c * multiplier)..<((c + 1) * multiplier) {
                                            let gyo = gy + (n * geo.outChannels + o) * plane
                                            if let gw { geo.depthwiseTapGradients(input: x + inOffset, gradient: gyo, addingInto: gw + o * taps) }
                                            if let gx { geo.depthwisePlaneTransposed(gradient: gyo, taps: w + o * taps, addingInto: gx + inOffset) }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return (gradInput, gradWeight)
    }
}

// The three per-plane loops, tap by tap over precomputed valid ranges. Unit horizontal stride
// gets its own inner loop so that it vectorizes.
extension ConvolutionGeometry {
    /// `output[oy, ox] += Σ_tap taps[tap] · input[oy·sy + …, ox·sx + …]` for one plane.
    func depthwisePlane(input: UnsafePointer<Float>, taps: UnsafePointer<Float>, addingInto output: UnsafeMutablePointer<Float>) {
        let rowStep = strideY * width, sx = strideX, outW = outWidth
        forEachTap { tap, rows, cols, offset in
            let wt = taps[tap]
            for oy in rows {
                let dst = output + oy * outW, src = input + (oy * rowStep + offset)
                if sx == 1 {
                    for ox in cols { dst[ox] += wt * src[ox] }
                } else {
                    for ox in cols { dst[ox] += wt * src[ox * sx] }
                }
            }
        }
    }

    /// The adjoint of ``depthwisePlane(input:taps:addingInto:)`` with respect to the input.
    func depthwisePlaneTransposed(gradient: UnsafePointer<Float>, taps: UnsafePointer<Float>,
                                  addingInto gradInput: UnsafeMutablePointer<Float>) {
        let rowStep = strideY * width, sx = strideX, outW = outWidth
        forEachTap { tap, rows, cols, offset in
            let wt = taps[tap]
            for oy in rows {
                let g = gradient + oy * outW, dst = gradInput + (oy * rowStep + offset)
                if sx == 1 {
                    for ox in cols { dst[ox] += wt * g[ox] }
                } else {
                    for ox in cols { dst[ox * sx] += wt * g[ox] }
                }
            }
        }
    }

    /// The adjoint of ``depthwisePlane(input:taps:addingInto:)`` with respect to the taps.
    func depthwiseTapGradients(input: UnsafePointer<Float>, gradient: UnsafePointer<Float>,
                               addingInto gradTaps: UnsafeMutablePointer<Float>) {
        let rowStep = strideY * width, sx = strideX, outW = outWidth
        forEachTap { tap, rows, cols, offset in
            var total: Float = 0
            for oy in rows {
                let g = gradient + oy * outW, src = input + (oy * rowStep + offset)
                if sx == 1 {
                    total += VectorReductions.dot(g + cols.lowerBound, src + cols.lowerBound, count: cols.count)
                } else {
                    for ox in cols { total += g[ox] * src[ox * sx] }
                }
            }
            gradTaps[tap] += total
        }
    }
}
