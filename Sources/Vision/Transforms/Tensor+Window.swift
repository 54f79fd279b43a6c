import Tensor

extension Tensor {
    /// The CHW image padded by the given number of pixels on each side.
    ///
    /// Negative amounts crop instead. With ``BorderMode/reflect`` or ``BorderMode/symmetric``
    /// the padding may exceed the image size: the mirroring repeats.
    public func padded(top: Int, left: Int, bottom: Int, right: Int, mode: BorderMode = .constant(0)) -> Tensor {
        let layout = ImageLayout(self, "padded(top:left:bottom:right:mode:)")
        let height = layout.height + top + bottom, width = layout.width + left + right
        precondition(height > 0 && width > 0,
                     "padded(top:left:bottom:right:mode:): padding (\(top), \(left), \(bottom), \(right)) leaves no pixels of an image of shape \(shape)")
        return window(rows: mode.indexTable(outputCount: height, offset: top, count: layout.height),
                      columns: mode.indexTable(outputCount: width, offset: left, count: layout.width),
                      fill: mode.fillValue, layout: layout)
    }

    /// The CHW image padded equally by `amount` pixels on all four sides.
    public func padded(by amount: Int, mode: BorderMode = .constant(0)) -> Tensor {
        padded(top: amount, left: amount, bottom: amount, right: amount, mode: mode)
    }

    /// The pixels of `region`; parts of the region outside the image are `fill`
    /// (as torchvision's `crop`, which pads with zeros).
    public func cropped(to region: ImageRegion, fill: Float = 0) -> Tensor {
        let layout = ImageLayout(self, "cropped(to:)")
        precondition(region.height > 0 && region.width > 0, "cropped(to:): empty region \(region)")
        let border = BorderMode.constant(fill)
        return window(rows: border.indexTable(outputCount: region.height, offset: -region.top, count: layout.height),
                      columns: border.indexTable(outputCount: region.width, offset: -region.left, count: layout.width),
                      fill: fill, layout: layout)
    }

    /// Gathers `rows × columns` pixels from every channel by index tables (-1 reads `fill`):
    /// the one kernel behind padding and cropping. Differentiable, like the tensor library's
    /// `padded(_:value:)`: the gradient adds each output pixel's gradient to the pixel it read
    /// (several, where reflection repeats one), keeping only the index tables.
    func window(rows: [Int], columns: [Int], fill: Float, layout: ImageLayout) -> Tensor {
        let result = gatheredWindow(rows: rows, columns: columns, fill: fill, layout: layout)
        return Tensor.record("window", result: result, inputs: [self]) { gradient in
            [Self.scatteredWindow(gradient, rows: rows, columns: columns, layout: layout)]
        }
    }

    /// The adjoint of the gather: `gradient` (`[C, rows, columns]`) summed into an image of
    /// `layout`'s shape at the pixels the window read.
    static func scatteredWindow(_ gradient: Tensor, rows: [Int], columns: [Int], layout: ImageLayout) -> Tensor {
        Tensor(shape: [layout.channels, layout.height, layout.width]) { out in
            out.update(repeating: 0)
            gradient.withUnsafeBufferPointer { g in
                var index = 0
                for c in 0..<layout.channels {
                    for sourceRow in rows {
                        for sourceColumn in columns {
                            if sourceRow >= 0 && sourceColumn >= 0 {
                                out[(c * layout.height + sourceRow) * layout.width + sourceColumn] += g[index]
                            }
                            index += 1
                        }
                    }
                }
            }
        }
    }

    /// The forward gather of ``window(rows:columns:fill:layout:)``.
    private func gatheredWindow(rows: [Int], columns: [Int], fill: Float, layout: ImageLayout) -> Tensor {
        let outHeight = rows.count, outWidth = columns.count
        // An in-image run of columns (every crop, and the middle of every pad) is one memcpy
        // per row; only the border columns need the table.
        let firstInside = columns.firstIndex { $0 >= 0 } ?? outWidth
        var run = firstInside
        while run < outWidth, columns[run] == columns[firstInside] + (run - firstInside) { run += 1 }
        return Tensor(shape: [layout.channels, outHeight, outWidth]) { out in
            withUnsafeBufferPointer { input in
                rows.withUnsafeBufferPointer { rows in
                    columns.withUnsafeBufferPointer { columns in
                        guard let outBase = out.baseAddress, let inBase = input.baseAddress else { return }
                        for c in 0..<layout.channels {
                            for y in 0..<outHeight {
                                let target = outBase + (c * outHeight + y) * outWidth
                                let sourceRow = rows[y]
                                if sourceRow < 0 {
                                    target.update(repeating: fill, count: outWidth)
                                    continue
                                }
                                let source = inBase + (c * layout.height + sourceRow) * layout.width
                                for x in 0..<firstInside {
                                    let sx = columns[x]
                                    target[x] = sx < 0 ? fill : source[sx]
                                }
                                if run > firstInside {
                                    (target + firstInside).update(from: source + columns[firstInside], count: run - firstInside)
                                }
                                for x in run..<outWidth {
                                    let sx = columns[x]
                                    target[x] = sx < 0 ? fill : source[sx]
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

extension BorderMode {
    /// The value written where no source pixel exists (only used by ``constant(_:)``).
    var fillValue: Float {
        if case .constant(let value) = self { return value }
        return 0
    }
}
