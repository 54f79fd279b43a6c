import Tensor
import Foundation

/// Collects the module calls of one forward pass, in call order with their nesting depth and
/// output shapes: the hook behind ``Module/summary(inputShape:)``.
///
/// It is installed as the task's ``ModuleCalls/hook``, so recording in one task never sees the
/// calls of another.
final class CallRecorder: ModuleCallHook, @unchecked Sendable {

    /// One module call.
    struct Call {
        let module: Module
        let depth: Int
        var outputShape: [Int] = []
    }

    private let lock = NSLock()
    private var depth = 0
    private var recorded: [Call] = []

    /// The calls recorded so far.
    var calls: [Call] { lock.withLock { recorded } }

    func call(_ module: Module, with input: consuming Tensor) -> Tensor {
        let entry = begin(module)
        let output = module.forward(input)
        end(entry, outputShape: output.shape)
        return output
    }

    /// Notes that `module` starts; returns the entry to complete with ``end(_:outputShape:)``.
    func begin(_ module: Module) -> Int {
        lock.withLock {
            recorded.append(Call(module: module, depth: depth))
            depth += 1
            return recorded.count - 1
        }
    }

    /// Notes that the call `entry` returned a tensor of `outputShape`.
    func end(_ entry: Int, outputShape: [Int]) {
        lock.withLock {
            depth -= 1
            recorded[entry].outputShape = outputShape
        }
    }
}
