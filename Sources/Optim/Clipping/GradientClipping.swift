#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Tensor

/// Rescales the gradients of `parameters` so that their joint norm is at most `maxNorm`, and
/// returns the joint norm before clipping (PyTorch's `torch.nn.utils.clip_grad_norm_`).
///
/// The norm is taken over all gradients together as if concatenated into one vector.
/// Gradients are multiplied by `maxNorm / (norm + 1e-6)` when that is below 1 (the `1e-6`
/// keeps the division finite). Parameters without a gradient are ignored; with none, the norm
/// is 0.
///
/// - Parameter normType: the order `p` of the norm (`2` by default, `.infinity` for the
///   largest magnitude); must be positive.
@discardableResult
public func clipGradientNorm(_ parameters: [Parameter], maxNorm: Float, normType: Float = 2) -> Float {
    precondition(normType > 0, "clipGradientNorm: the norm type must be positive, got \(normType)")
    let gradients = parameters.compactMap(\.grad)
    let total = gradientNorm(gradients, order: Double(normType))
    let coefficient = maxNorm / (total + 1e-6)
    // `!(>= 1)` rather than `< 1`: a NaN norm must poison the gradients as in PyTorch.
    if !(coefficient >= 1) {
        for parameter in parameters {
            GradientReduction.modify(gradientOf: parameter) { g in
                Parallel.forEachChunk(count: g.count) { range in
                    for i in range { g[i] *= coefficient }
                }
            }
        }
    }
    return total
}

/// Clamps every gradient element of `parameters` to `-maxValue...maxValue` (PyTorch's
/// `torch.nn.utils.clip_grad_value_`).
public func clipGradientValue(_ parameters: [Parameter], maxValue: Float) {
    precondition(maxValue >= 0, "clipGradientValue: maxValue must not be negative, got \(maxValue)")
    for parameter in parameters {
        GradientReduction.modify(gradientOf: parameter) { g in
            Parallel.forEachChunk(count: g.count) { range in
                for i in range { g[i] = min(max(g[i], -maxValue), maxValue) }
            }
        }
    }
}

/// The `order`-norm of the concatenation of `gradients`, accumulated in Double.
func gradientNorm(_ gradients: [Tensor], order: Double) -> Float {
    let isMaximum = order == .infinity
    var total = 0.0
    for gradient in gradients {
        let part = gradient.withUnsafeBufferPointer { values in
            GradientReduction.reduce(count: values.count, initial: 0, combine: isMaximum ? largest : (+)) { range in
                normPart(values, range, order: order)
            }
        }
        total = isMaximum ? largest(total, part) : total + part
    }
    if isMaximum || order == 1 { return Float(total) }
    return Float(order == 2 ? total.squareRoot() : pow(total, 1 / order))
}

/// The largest magnitude (order infinity) or the sum of `|x|^order` over `range`, in Double.
/// Orders 1, 2 and infinity run on eight Double lanes (converted from Float vectors); other
/// orders need `pow` per element.
private func normPart(_ values: UnsafeBufferPointer<Float>, _ range: Range<Int>, order: Double) -> Double {
    typealias Wide = SIMD8<Double>
    let base = values.baseAddress!
    var i = range.lowerBound
    var lanes = Wide(), total = 0.0
    switch order {
    case 2:
        while i + Wide.scalarCount <= range.upperBound {
            let v = wide(base + i)
            lanes += v * v
            i += Wide.scalarCount
        }
        total = lanes.sum()
        for j in i..<range.upperBound { total += Double(values[j]) * Double(values[j]) }
    case 1:
        while i + Wide.scalarCount <= range.upperBound {
            let v = wide(base + i)
            lanes += v.replacing(with: -v, where: v .< 0)
            i += Wide.scalarCount
        }
        total = lanes.sum()
        for j in i..<range.upperBound { total += Double(abs(values[j])) }
    case .infinity:
        var sawNaN = SIMDMask<Wide.MaskStorage>()
        while i + Wide.scalarCount <= range.upperBound {
            let v = wide(base + i)
            let magnitude = v.replacing(with: -v, where: v .< 0)
            lanes.replace(with: magnitude, where: magnitude .> lanes)
            sawNaN .|= magnitude .!= magnitude
            i += Wide.scalarCount
        }
        if any(sawNaN) { return .nan }
        total = lanes.max()
        for j in i..<range.upperBound { total = largest(total, Double(abs(values[j]))) }
    default:
        for j in range { total += pow(Double(abs(values[j])), order) }
    }
    return total
}

/// Eight Floats at `pointer`, widened to Double.
@inline(__always)
private func wide(_ pointer: UnsafePointer<Float>) -> SIMD8<Double> {
    SIMD8<Double>(UnsafeRawPointer(pointer).loadUnaligned(as: SIMD8<Float>.self))
}

/// The larger of two magnitudes, NaN winning (a NaN gradient must show in the norm).
@inline(__always)
private func largest(_ a: Double, _ b: Double) -> Double { a > b || a.isNaN ? a : b }
