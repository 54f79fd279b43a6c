/// Compares the tape's gradients of a function with central finite differences — Fathom's
/// `torch.autograd.gradcheck`, for checking a new op's gradient rule.
///
/// The objective is `L = Σ f(inputs) ⊙ W` with `W` fixed pseudo-random weights of magnitude
/// 0.5…1.5 and random sign: unlike a plain sum, every output element gets its own weight, so
/// errors that cancel across elements (a softmax gradient's plain sum is always 0) cannot hide.
/// The tape's gradient of `L` is compared with `(L(x + ε) − L(x − ε)) / (x₊ − x₋)` for every
/// element of every checked input, `L` accumulated in Double from Float forward passes and the
/// denominator the step actually representable in Float.
///
/// ```swift
/// let comparisons = GradientCheck.compare({ $0[0].softmax(alongAxis: 1) }, at: [x])
/// assert(comparisons.allSatisfy { $0.passes(absolute: 1e-3, relative: 1e-2) })
/// ```
public enum GradientCheck {
    /// The tape's and the finite-difference gradient of one input.
    public struct Comparison: Sendable, CustomStringConvertible {
        /// The input's index.
        public let input: Int
        /// The input's shape.
        public let shape: [Int]
        /// The tape's gradient, row-major; `nil` when none reached the input (a cut graph) or
        /// its shape differs from the input's (a broken rule), see ``problem``.
        public let tape: [Float]?
        /// The central-difference gradient, row-major.
        public let numeric: [Double]
        /// Why ``tape`` is `nil`.
        public let problem: String?

        /// Elements failing `|tape − numeric| ≤ absolute + relative · max(|tape|, |numeric|)`
        /// (NaN on either side fails), worst first: `(element, tape, numeric)`.
        public func failures(absolute: Double, relative: Double) -> [(element: Int, tape: Double, numeric: Double)] {
            guard let tape else { return [] }
            var failing: [(element: Int, tape: Double, numeric: Double, excess: Double)] = []
            for (element, (t, n)) in zip(tape, numeric).enumerated() {
                let excess = Swift.abs(Double(t) - n) - (absolute + relative * Swift.max(Swift.abs(Double(t)), Swift.abs(n)))
                if !(excess <= 0) { failing.append((element, Double(t), n, excess.isNaN ? .infinity : excess)) }
            }
            return failing.sorted { $0.excess > $1.excess }.map { ($0.element, $0.tape, $0.numeric) }
        }

        /// Whether a tape gradient of the right shape arrived and no element fails
        /// ``failures(absolute:relative:)``.
        public func passes(absolute: Double, relative: Double) -> Bool {
            tape != nil && failures(absolute: absolute, relative: relative).isEmpty
        }

        /// The largest `|tape − numeric|` relative to the input's largest gradient magnitude
        /// (at least 1e-3), with its element: a scale-free summary for ops whose gradients
        /// span orders of magnitude. Infinite without a tape gradient, NaN-safe.
        public var errorRelativeToLargest: (error: Double, element: Int) {
            guard let tape else { return (.infinity, 0) }
            let scale = Swift.max(numeric.map(Swift.abs).max() ?? 0, tape.map { Swift.abs(Double($0)) }.max() ?? 0, 1e-3)
            var worst = (error: 0.0, element: 0)
            for (element, (t, n)) in zip(tape, numeric).enumerated() {
                let error = Swift.abs(Double(t) - n) / scale
                if !(error <= worst.error) { worst = (error.isNaN ? .infinity : error, element) }
            }
            return worst
        }

        /// One line: the problem, or the worst element by ``errorRelativeToLargest``.
        public var description: String {
            if let problem { return "input \(input) of shape \(shape): \(problem)" }
            let (error, element) = errorRelativeToLargest
            return "input \(input) of shape \(shape): relative error \(error) at element \(element) "
                + "(tape \(tape.map { Double($0[element]) } ?? .nan), finite differences \(numeric[element]))"
        }
    }

    /// Compares at `inputs` the tape's gradients of `f` for the inputs in `checking` (default:
    /// all; the others, such as a loss's targets, are passed as they are) with central
    /// differences of step `epsilon`; `seed` draws the output weights.
    public static func compare(_ f: ([Tensor]) -> Tensor, at inputs: [Tensor], checking: [Int]? = nil,
                               epsilon: Float = 1e-3, seed: UInt64 = 0x6772_6164) -> [Comparison] {
        let checked = checking ?? Array(inputs.indices)
        let inputs = inputs.map { $0.detached() }
        let outputShape = withoutGradients { f(inputs).shape }
        var generator = RandomGenerator(seed: seed)
        let signs = Tensor.bernoulli(outputShape, probability: 0.5, generator: &generator).scalars
        let magnitudes = Tensor.uniform(outputShape, low: 0.5, high: 1.5, generator: &generator).scalars
        let weights = zip(magnitudes, signs).map { $0 * (2 * $1 - 1) }

        func objective(_ values: [Tensor]) -> Double {
            let y = withoutGradients { f(values) }.scalars
            return zip(y, weights).reduce(0) { $0 + Double($1.0) * Double($1.1) }
        }

        var leaves = inputs
        for i in checked { leaves[i] = leaves[i].requiringGradient() }
        let output = f(leaves)
        if output.requiresGradient { output.backward(Tensor(shape: outputShape, scalars: weights)) }  // else: every input is cut off

        return checked.map { index in
            let input = inputs[index]
            var numeric = [Double](repeating: 0, count: input.scalarCount)
            var arguments = inputs.map { $0.detached() }
            let base = input.scalars
            for element in base.indices {
                let up = base[element] + epsilon, down = base[element] - epsilon
                arguments[index].withUnsafeMutableBufferPointer { $0[element] = up }
                let plus = objective(arguments)
                arguments[index].withUnsafeMutableBufferPointer { $0[element] = down }
                let minus = objective(arguments)
                arguments[index].withUnsafeMutableBufferPointer { $0[element] = base[element] }
                numeric[element] = (plus - minus) / (Double(up) - Double(down))
            }
            guard let gradient = leaves[index].grad else {
                return Comparison(input: index, shape: input.shape, tape: nil, numeric: numeric, problem: "no gradient reached it")
            }
            guard gradient.shape == input.shape else {
                return Comparison(input: index, shape: input.shape, tape: nil, numeric: numeric,
                                  problem: "the gradient has shape \(gradient.shape)")
            }
            return Comparison(input: index, shape: input.shape, tape: gradient.scalars, numeric: numeric, problem: nil)
        }
    }
}
