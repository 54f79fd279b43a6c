import Foundation

/// Collects the module calls of one forward pass, in call order with their nesting depth and
/// output shapes: the hook behind ``Module/summary(inputShape:)``.
///
/// It is installed as a task-local value, so recording in one task never sees the calls of
/// another, and an ordinary forward pass pays one task-local read per module call.
final class CallRecorder: @unchecked Sendable {
    /// The recorder of the current task, if a summary is being made.
    @TaskLocal static var current: CallRecorder?

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
