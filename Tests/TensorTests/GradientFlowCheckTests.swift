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

    /// Turns the check on (in the child process) and returns two leaves that require gradients.
    static func checkedLeaves() -> (x: Tensor, w: Tensor) {
        GradientFlowCheck.isEnabled = true
        return (Tensor([1, 2, 3]).requiringGradient(), Tensor([1, 1, 1]).requiringGradient())
    }

    /// The standard error of a child process that failed.
    static func message(of result: ExitTest.Result?) throws -> String {
        String(decoding: try #require(result).standardErrorContent, as: UTF8.self)
    }

    @Test("a cut gradient stops the backward pass, naming the op, the input and both source lines")
    func catchesACutGradient() async throws {
        let message = try Self.message(of: await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            let (x, w) = GradientFlowCheckTests.checkedLeaves()
            (GradientFlowCheckTests.squareThatForgetsToRecord(x) * w).sum().backward()
        })
        #expect(message.contains("input 0 of 'multiply'"), "\(message)")
        #expect(message.contains("GradientFlowCheckTests.swift:14"), "the raw constructor's line: \(message)")
        #expect(message.contains("GradientFlowCheckTests.swift:15"), "the read's line: \(message)")
        #expect(message.contains("Tensor.record") && message.contains("nonDifferentiable"), "the remedy: \(message)")
    }

    @Test("a result built from an array of scalars read earlier is caught too")
    func catchesACutThroughAnArray() async throws {
        let message = try Self.message(of: await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            let (x, w) = GradientFlowCheckTests.checkedLeaves()
            let squares = x.withUnsafeBufferPointer { $0.map { $0 * $0 } }
            (w * Tensor(shape: x.shape, scalars: squares)).sum().backward()
        })
        #expect(message.contains("input 1 of 'multiply'") && message.contains("[3]"), "\(message)")
    }

    @Test("a loss cut off from every input says why it has no gradient history")
    func explainsALossWithoutHistory() async throws {
        let message = try Self.message(of: await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            GradientFlowCheckTests.squareThatForgetsToRecord(GradientFlowCheckTests.checkedLeaves().x).sum().backward()
        })
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
            let (x, w) = GradientFlowCheckTests.checkedLeaves()
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

    @Test("the README's op of your own records, passes the gradient check and the flow check")
    func readmeOp() {
        let x = Tensor([[0.5, -1.5], [2, 0.25]])
        let comparisons = GradientCheck.compare({ $0[0].cubed() }, at: [x])
        #expect(comparisons.allSatisfy { $0.passes(absolute: 1e-3, relative: 1e-2) }, "\(comparisons)")
    }
}

extension Tensor {
    /// README.md's "An op of your own" (fileprivate here).
    fileprivate func cubed() -> Tensor {
        let y = Tensor(shape: shape) { out in
            withUnsafeBufferPointer { x in for i in out.indices { out[i] = x[i] * x[i] * x[i] } }
        }
        let x = detached()  // what the rule keeps
        return Tensor.record("cubed", result: y, inputs: [self]) { g in [3 * g * x * x] }
    }
}
