import Optim
import Tensor
import Testing

/// Expects `actual` (Float32 from the library) to match `expected` (Double, computed by hand
/// in the test) within `tolerance` relative to max(1, |expected|).
func expectClose(_ actual: [Float], _ expected: [Double], tolerance: Double = 1e-5,
                 _ context: String, sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(actual.count == expected.count, "\(context): \(actual.count) values, expected \(expected.count)",
            sourceLocation: sourceLocation)
    for (i, (a, e)) in zip(actual, expected).enumerated() {
        let error = abs(Double(a) - e) / max(1, abs(e))
        #expect(error <= tolerance, "\(context)[\(i)]: got \(a), expected \(e) (relative error \(error))",
                sourceLocation: sourceLocation)
    }
}

/// A fixed parameter and the gradients of its first three updates, shared by the
/// hand-computed update tests. Element 2 sees a zero gradient once and a sign flip, so that
/// momentum, AMSGrad's maximum and centering all matter.
enum UpdateFixture {
    static let initial: [Double] = [0.5, -1.5, 2.0, 0.25]
    static let gradients: [[Double]] = [
        [0.1, -0.2, 0.8, 1.0],
        [-0.4, 0.5, 0.0, 0.5],
        [0.25, 0.3, -0.6, -0.05],
    ]

    /// Runs `optimizer` on a parameter starting at ``initial`` fed ``gradients``, returning
    /// the values after each update.
    static func trajectory(_ makeOptimizer: ([Parameter]) -> any Optimizer) -> [[Float]] {
        let parameter = Parameter(Tensor(initial.map(Float.init)))
        let optimizer = makeOptimizer([parameter])
        return gradients.map { gradient in
            parameter.grad = Tensor(gradient.map(Float.init))
            optimizer.step()
            optimizer.zeroGradients()
            return parameter.value.scalars
        }
    }
}
