import Tensor

extension Tensor {
    /// The CHW image transformed by `parameters` about its centre, same size; pixels that map
    /// from outside the image take `fill`.
    ///
    /// Bilinear sampling treats the four neighbours that fall outside as `fill`, which is
    /// exactly torchvision's result (`grid_sample` with zero padding, then a mask to blend
    /// in the fill).
    public func affineTransformed(_ parameters: AffineParameters, interpolation: Interpolation = .bilinear,
                                  fill: Float = 0) -> Tensor {
        let layout = ImageLayout(self, "affineTransformed(_:)")
        let matrix = parameters.inverseMatrix.map { Float($0) }
        return withUnsafeBufferPointer { input in
            AffineWarp.warp(input.baseAddress!, layout: layout, inverse: matrix, interpolation: interpolation, fill: fill)
        }
    }

    /// The CHW image rotated `degrees` counter-clockwise about its centre, same size
    /// (torchvision's `rotate`); the corners take `fill`.
    public func rotated(degrees: Double, interpolation: Interpolation = .bilinear, fill: Float = 0) -> Tensor {
        affineTransformed(AffineParameters(angle: -degrees), interpolation: interpolation, fill: fill)
    }
}

/// Inverse-mapping warp over raw buffers.
enum AffineWarp {
    /// For each output pixel, samples the input at the inverse-mapped point (see
    /// ``AffineParameters/inverseMatrix``), all channels at once.
    static func warp(_ input: UnsafePointer<Float>, layout: ImageLayout, inverse m: [Float],
                     interpolation: Interpolation, fill: Float) -> Tensor {
        let grid = Grid(layout: layout, matrix: m)
        return Tensor(shape: [layout.channels, layout.height, layout.width]) { out in
            switch interpolation {
            case .nearest: nearest(input, grid: grid, fill: fill, into: out.baseAddress!)
            case .bilinear: bilinear(input, grid: grid, fill: fill, into: out.baseAddress!)
            }
        }
    }

    /// The sampling grid: output pixel (x, y) reads the input at
    /// `(rowX(y) + m0·(x − cx), rowY(y) + m3·(x − cx))`.
    struct Grid {
        let channels: Int, height: Int, width: Int, plane: Int
        let cx: Float, cy: Float
        let m: (Float, Float, Float, Float, Float, Float)

        init(layout: ImageLayout, matrix m: [Float]) {
            (channels, height, width, plane) = (layout.channels, layout.height, layout.width, layout.planeCount)
            cx = Float(width - 1) / 2
            cy = Float(height - 1) / 2
            self.m = (m[0], m[1], m[2], m[3], m[4], m[5])
        }

        /// The source point of row `y`'s pixel 0, and its step per pixel.
        @inline(__always)
        func row(_ y: Int) -> (x: Float, y: Float) {
            let yc = Float(y) - cy
            return (m.1 * yc + m.2 + cx - m.0 * cx, m.4 * yc + m.5 + cy - m.3 * cx)
        }
    }

    /// Bilinear: the four neighbours, those outside reading `fill` (see
    /// `Tensor.affineTransformed`).
    private static func bilinear(_ input: UnsafePointer<Float>, grid: Grid, fill: Float, into output: UnsafeMutablePointer<Float>) {
        let (channels, width, height, plane) = (grid.channels, grid.width, grid.height, grid.plane)
        // Beyond one pixel outside only fill is read; the bound also keeps Int() in range.
        let maxX = Float(width), maxY = Float(height)
        for y in 0..<height {
            let start = grid.row(y)
            for x in 0..<width {
                let sx = start.x + grid.m.0 * Float(x), sy = start.y + grid.m.3 * Float(x)
                let target = output + y * width + x
                guard sx > -1, sy > -1, sx < maxX, sy < maxY else {
                    for c in 0..<channels { target[c * plane] = fill }
                    continue
                }
                let ix = floorIndex(sx), iy = floorIndex(sy)
                let ax = sx - Float(ix), ay = sy - Float(iy)
                let w00 = (1 - ax) * (1 - ay), w01 = ax * (1 - ay), w10 = (1 - ax) * ay, w11 = ax * ay
                if ix >= 0 && iy >= 0 && ix + 1 < width && iy + 1 < height {
                    let o = iy * width + ix
                    for c in 0..<channels {
                        let p = input + c * plane + o
                        target[c * plane] = w00 * p[0] + w01 * p[1] + w10 * p[width] + w11 * p[width + 1]
                    }
                } else {
                    // At the border each neighbour is checked; outside ones read fill.
                    let x0 = ix >= 0 && ix < width, x1 = ix + 1 >= 0 && ix + 1 < width
                    let y0 = iy >= 0 && iy < height, y1 = iy + 1 >= 0 && iy + 1 < height
                    for c in 0..<channels {
                        let p = input + c * plane
                        let v00 = x0 && y0 ? p[iy * width + ix] : fill
                        let v01 = x1 && y0 ? p[iy * width + ix + 1] : fill
                        let v10 = x0 && y1 ? p[(iy + 1) * width + ix] : fill
                        let v11 = x1 && y1 ? p[(iy + 1) * width + ix + 1] : fill
                        target[c * plane] = w00 * v00 + w01 * v01 + w10 * v10 + w11 * v11
                    }
                }
            }
        }
    }

    /// `floor(v)` for `-1 < v < Int.max`, without a libm call on baseline x86-64.
    ///
    /// Truncating `v + 1` is not enough: for `v` a hair below an integer, `v + 1` can round up
    /// to the next integer in Float (`8 − 2⁻²¹ + 1 == 9`), which put the index one past the
    /// last pixel. The correction step catches exactly that case.
    @inline(__always)
    private static func floorIndex(_ v: Float) -> Int {
        let truncated = Int(v + 1) - 1
        return Float(truncated) > v ? truncated - 1 : truncated
    }

    /// Nearest: the pixel at the rounded point (ties to even, as `grid_sample`), else `fill`.
    private static func nearest(_ input: UnsafePointer<Float>, grid: Grid, fill: Float, into output: UnsafeMutablePointer<Float>) {
        let (channels, width, height, plane) = (grid.channels, grid.width, grid.height, grid.plane)
        let maxX = Float(width) - 0.5, maxY = Float(height) - 0.5
        for y in 0..<height {
            let start = grid.row(y)
            for x in 0..<width {
                let sx = start.x + grid.m.0 * Float(x), sy = start.y + grid.m.3 * Float(x)
                let target = output + y * width + x
                // Points that round outside [0, size − 1] read fill (−0.5 rounds to −0).
                guard sx >= -0.5, sy >= -0.5, sx <= maxX, sy <= maxY else {
                    for c in 0..<channels { target[c * plane] = fill }
                    continue
                }
                let ix = Int(sx.rounded(.toNearestOrEven)), iy = Int(sy.rounded(.toNearestOrEven))
                guard ix < width, iy < height else {
                    for c in 0..<channels { target[c * plane] = fill }
                    continue
                }
                for c in 0..<channels { target[c * plane] = input[c * plane + iy * width + ix] }
            }
        }
    }
}
