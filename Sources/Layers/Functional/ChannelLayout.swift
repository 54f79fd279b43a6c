import Tensor

/// A tensor of shape `[N, C, …]` seen as `[outer, channels, inner]`: the layout in which
/// batch norm computes statistics and convolution sums its bias gradient (per channel, over
/// the batch and all spatial positions).
struct ChannelLayout {
    let outer: Int, channels: Int, inner: Int

    init(_ shape: [Int], op: String = "ChannelLayout") {
        precondition(shape.count >= 2, "\(op): expected a tensor of rank ≥ 2 with channels on axis 1, got shape \(shape)")
        outer = shape[0]
        channels = shape[1]
        inner = shape.dropFirst(2).reduce(1, *)
    }

    /// How many scalars each channel has.
    var countPerChannel: Int { outer * inner }

    /// Calls `body` for every channel with each of its contiguous runs (`outer` runs of
    /// `inner` scalars), splitting channels across the cores.
    func forEachChannel(_ body: (_ channel: Int, _ runs: StrideTo<Int>) -> Void) {
        let step = channels * inner
        forEachChunk(count: channels, costPerItem: countPerChannel) { range in
            for c in range { body(c, stride(from: c * inner, to: outer * step, by: step)) }
        }
    }

    /// The sum of `x` per channel, as a `[C]` tensor (accumulated in Double).
    func sums(of x: Tensor) -> Tensor {
        Tensor(shape: [channels]) { out in
            x.withUnsafeBufferPointer { x in
                let x = x.baseAddress!, o = out.baseAddress!, inner = self.inner
                forEachChannel { c, runs in
                    var total = 0.0
                    for start in runs { total += Double(VectorReductions.sum(x + start, count: inner)) }
                    o[c] = Float(total)
                }
            }
        }
    }
}
