/// A scalar function with its derivative: one row of the unary table (tinygrad's gradient
/// table, in Swift).
///
/// `value` maps one scalar; `derivative` gives dy/dx from the input `x` and the output `y`,
/// whichever is cheaper. The unary ops and their loops are generic over the function, so each
/// op's loops are specialized with it inlined: no call through a closure per element, which
/// made ReLU and its backward ~17 % of a CompactCNN training step.
protocol ScalarFunction {
    /// y = f(x).
    func value(_ x: Float) -> Float
    /// dy/dx at `x`, where `y = value(x)`.
    func derivative(x: Float, y: Float) -> Float
    /// Whether ``derivative(x:y:)`` reads `x`. When it does not, the tape keeps only the
    /// output, and the input (typically a batch-norm output before a ReLU) is freed as soon as
    /// nothing else holds it: one activation less per such op in a training step's memory.
    static var derivativeReadsInput: Bool { get }
}

extension ScalarFunction {
    static var derivativeReadsInput: Bool { true }
}

// These two loops look like `map`/`zipMap3` of ElementwiseKernels with a closure, and were
// once written as calls to them: the closures were not fully inlined and the 28-px CompactCNN
// training step ran at 0.86× (`Benchmarks/compare/ab.sh … cnn28_train`, 2026-11-27). Keep them.
extension ElementwiseKernels {
    /// `f` applied to every scalar of `x`.
    static func map<F: ScalarFunction>(_ x: Tensor, _ f: F) -> Tensor {
        Tensor(shape: x.shape) { out in
            x.withUnsafeBufferPointer { a in
                let a = a.baseAddress!, o = out.baseAddress!
                Parallel.forEachChunk(count: out.count) { range in
                    for i in range { o[i] = f.value(a[i]) }
                }
            }
        }
    }

    /// The chain rule through `f`: `g · f'(x)` elementwise, with `y = f(x)` (`x` may be `y`
    /// itself when the derivative does not read it).
    static func chainRule<F: ScalarFunction>(_ x: Tensor, _ y: Tensor, _ g: Tensor, _ f: F) -> Tensor {
        precondition(x.shape == y.shape && y.shape == g.shape,
                     "chainRule: shapes \(x.shape), \(y.shape) and \(g.shape) differ")
        return Tensor(shape: x.shape) { out in
            x.withUnsafeBufferPointer { a in
                y.withUnsafeBufferPointer { b in
                    g.withUnsafeBufferPointer { c in
                        let a = a.baseAddress!, b = b.baseAddress!, c = c.baseAddress!, o = out.baseAddress!
                        Parallel.forEachChunk(count: out.count) { range in
                            for i in range { o[i] = c[i] * f.derivative(x: a[i], y: b[i]) }
                        }
                    }
                }
            }
        }
    }
}

extension Tensor {
    /// Records `f` applied elementwise.
    func unary<F: ScalarFunction>(_ op: String, _ f: F) -> Tensor {
        let y = ElementwiseKernels.map(self, f)
        // The rule captures the input only when the derivative needs it (see ScalarFunction).
        let saved = F.derivativeReadsInput ? detached() : nil
        return Tensor.record(op, result: y, inputs: [self]) { g in
            [ElementwiseKernels.chainRule(saved ?? y, y, g, f)]
        }
    }
}
