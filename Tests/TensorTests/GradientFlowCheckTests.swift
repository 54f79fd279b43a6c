import Foundation
import Testing
import Tensor

/// The gradient-flow check: an op that reads a differentiable input and builds its result with
/// a raw constructor without recording stops the backward pass that its cut would have broken,
/// with a message naming the op and the source lines; cuts said out loud do not.
///
/// Each case runs in a child process that turns the check on first, so that it runs the same
/// way in debug and release builds, whatever the environment of the test run.
@Suite struct GradientFlowCheckTests {
    /// `x²` computed from `x`'s scalars and returned without `Tensor.record`: the bug the check is for.
    static func squareThatForgetsToRecord(_ x: Tensor) -> Tensor {
        Tensor(shape: x.shape) { out in
            x.withUnsafeBufferPointer { x in
                for i in out.indices { out[i] = x[i] * x[i] }
            }
        }
    }

    /// The same op reading `x.detached()`: a cut said out loud.
    static func squareOfDetached(_ x: Tensor) -> Tensor {
        let constant = x.detached()
        return Tensor(shape: x.shape) { out in
            constant.withUnsafeBufferPointer { x in
                for i in out.indices { out[i] = x[i] * x[i] }
            }
        }
    }

    /// The same op built with the named non-differentiable constructor.
    static func squareWithoutGradient(_ x: Tensor) -> Tensor {
        Tensor.nonDifferentiable(shape: x.shape) { out in
            x.withUnsafeBufferPointer { x in
                for i in out.indices { out[i] = x[i] * x[i] }
            }
        }
    }

    /// The same op, recorded: what the check asks for.
    static func square(_ x: Tensor) -> Tensor {
        let y = Tensor(shape: x.shape) { out in
            x.withUnsafeBufferPointer { x in
                for i in out.indices { out[i] = x[i] * x[i] }
            }
        }
        let saved = x.detached()
        return Tensor.record("square", result: y, inputs: [x]) { g in [2 * g * saved] }
    }

    @Test("a cut gradient stops the backward pass, naming the op, the input and both source lines")
    func catchesACutGradient() async throws {
        let result = try #require(await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            GradientFlowCheck.isEnabled = true
            let x = Tensor([1, 2, 3]).requiringGradient()
            let w = Tensor([1, 1, 1]).requiringGradient()
            let loss = (GradientFlowCheckTests.squareThatForgetsToRecord(x) * w).sum()
            loss.backward()
        })
        let message = String(decoding: result.standardErrorContent, as: UTF8.self)
        #expect(message.contains("input 0 of 'multiply'"), "\(message)")
        #expect(message.contains("GradientFlowCheckTests.swift:14"), "the raw constructor's line: \(message)")
        #expect(message.contains("GradientFlowCheckTests.swift:15"), "the read's line: \(message)")
        #expect(message.contains("Tensor.record") && message.contains("nonDifferentiable"), "the remedy: \(message)")
    }

    @Test("a loss cut off from every input says why it has no gradient history")
    func explainsALossWithoutHistory() async throws {
        let result = try #require(await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            GradientFlowCheck.isEnabled = true
            let x = Tensor([1, 2, 3]).requiringGradient()
            GradientFlowCheckTests.squareThatForgetsToRecord(x).sum().backward()
        })
        let message = String(decoding: result.standardErrorContent, as: UTF8.self)
        #expect(message.contains("no gradient history") && message.contains("GradientFlowCheckTests.swift:14"), "\(message)")
    }

    @Test("the gradient checker's backward pass stops at the cut too")
    func catchesTheCutInAGradientCheck() async {
        await #expect(processExitsWith: .failure) {
            GradientFlowCheck.isEnabled = true
            let x = Tensor([1, 2, 3]), w = Tensor([0.5, -1, 2])
            _ = GradientCheck.compare({ GradientFlowCheckTests.squareThatForgetsToRecord($0[0]) * $0[1] }, at: [x, w])
        }
    }

    @Test("detached reads, the non-differentiable constructor and scope, inference and recorded ops pass")
    func declaredCutsPass() async {
        await #expect(processExitsWith: .success) {
            GradientFlowCheck.isEnabled = true
            let x = Tensor([1, 2, 3]).requiringGradient()
            let w = Tensor([1, 1, 1]).requiringGradient()
            for op in [GradientFlowCheckTests.squareOfDetached, GradientFlowCheckTests.squareWithoutGradient, GradientFlowCheckTests.square] {
                (op(x) * w).sum().backward()
            }
            // A scope around the whole computation.
            (Tensor.nonDifferentiable { GradientFlowCheckTests.squareThatForgetsToRecord(x) } * w).sum().backward()
            // Inference: nothing records, nothing is checked.
            _ = withoutGradients { (GradientFlowCheckTests.squareThatForgetsToRecord(x) * w).sum() }
            // The cut only stops the backward pass it would break: here w's gradient is all
            // there is, and x was never meant to get one.
            let comparisons = GradientCheck.compare({ GradientFlowCheckTests.squareOfDetached($0[0]) * $0[1] }, at: [x, w], checking: [1])
            if !comparisons.allSatisfy({ $0.passes(absolute: 1e-3, relative: 1e-2) }) { exit(1) }
            if x.grad == nil || w.grad == nil { exit(2) }
            exit(0)
        }
    }
}
