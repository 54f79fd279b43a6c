import Foundation  // exp
import Tensor

extension Tensor {
    /// The CHW image convolved with a `kernelSize × kernelSize` Gaussian of standard deviation
    /// `sigma`, borders reflected (torchvision's `gaussian_blur`).
    ///
    /// The kernel samples `exp(−x²/2σ²)` at the integer offsets and is normalized to sum 1; it
    /// is separable, so the image is filtered along x, then along y.
    public func gaussianBlurred(kernelSize: Int, sigma: Float) -> Tensor {
        precondition(kernelSize > 0 && kernelSize % 2 == 1, "gaussianBlurred: kernel size must be odd and positive, got \(kernelSize)")
        precondition(sigma > 0, "gaussianBlurred: sigma must be positive, got \(sigma)")
        let layout = ImageLayout(self, "gaussianBlurred(kernelSize:sigma:)")
        let radius = kernelSize / 2
        let raw = (0..<kernelSize).map { k -> Double in
            let x = Double(k - radius) / Double(sigma)
            return Foundation.exp(-0.5 * x * x)
        }
        let total = raw.reduce(0, +)
        let kernel = raw.map { Float($0 / total) }
        let columns = BorderMode.reflect.indexTable(outputCount: layout.width + 2 * radius, offset: radius, count: layout.width)
        let rows = BorderMode.reflect.indexTable(outputCount: layout.height + 2 * radius, offset: radius, count: layout.height)
        let (height, width) = (layout.height, layout.width)
        let scratch = UnsafeMutablePointer<Float>.allocate(capacity: layout.channels * layout.planeCount)
        defer { scratch.deallocate() }
        return Tensor(shape: shape) { out in
            withUnsafeBufferPointer { input in
                kernel.withUnsafeBufferPointer { kernel in
                    columns.withUnsafeBufferPointer { columns in
                        rows.withUnsafeBufferPointer { rows in
                            for c in 0..<layout.channels {
                                let source = input.baseAddress! + c * layout.planeCount
                                let middle = scratch + c * layout.planeCount
                                let target = out.baseAddress! + c * layout.planeCount
                                for y in 0..<height {
                                    for x in 0..<width {
                                        var sum: Float = 0
                                        for k in 0..<kernelSize { sum += kernel[k] * source[y * width + columns[x + k]] }
                                        middle[y * width + x] = sum
                                    }
                                }
                                for y in 0..<height {
                                    let row = target + y * width
                                    row.update(repeating: 0, count: width)
                                    for k in 0..<kernelSize {
                                        let tap = middle + rows[y + k] * width, w = kernel[k]
                                        for x in 0..<width { row[x] += w * tap[x] }
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

/// Blurs with a Gaussian of random width (torchvision's `GaussianBlur`): σ is drawn
/// uniformly from `sigma` for each image.
public struct GaussianBlur: Transform {
    /// The odd side length of the kernel.
    public let kernelSize: Int
    /// The range of standard deviations, in pixels.
    public let sigma: ClosedRange<Float>

    /// A blur with a `kernelSize × kernelSize` kernel and σ uniform in `sigma`.
    public init(kernelSize: Int, sigma: ClosedRange<Float> = 0.1...2) {
        precondition(kernelSize > 0 && kernelSize % 2 == 1, "GaussianBlur: kernel size must be odd and positive, got \(kernelSize)")
        precondition(sigma.lowerBound > 0, "GaussianBlur: sigma must be positive, got \(sigma)")
        (self.kernelSize, self.sigma) = (kernelSize, sigma)
    }

    /// The blurred image.
    public func callAsFunction(_ image: Tensor, generator: inout RandomGenerator) -> Tensor {
        image.gaussianBlurred(kernelSize: kernelSize, sigma: generator.uniformSample(in: sigma))
    }
}
