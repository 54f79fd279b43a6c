import Foundation
import Tensor

/// Records what every module call of one forward pass read and produced, as tape nodes: the
/// material the fusion transform plans from (what `torch.fx`'s tracer gives PyTorch's fusion
/// passes, here read off Fathom's own tape).
///
/// The pass runs with a probe input that requires gradients, so that every result derived
/// from it has a tape node; a result's consumers are then exactly the nodes that list it as
/// an input.
final class FusionTracer: ModuleCallHook, @unchecked Sendable {
    /// One module call.
    struct Call {
        /// The module called.
        let module: Module
        /// The call this one ran inside, or `nil` for the model's own.
        let parent: Int?
        /// The input's node.
        let input: GradNode?
        /// The input's bytes per image.
        let inputBytes: Int
        /// The output's node.
        var output: GradNode?
        /// The output's bytes per image.
        var outputBytes = 0
        /// The largest output, in bytes per image, of any call inside this one.
        var largestInnerBytes = 0
        /// Whether other module calls ran inside this one.
        var hasInnerCalls = false
    }

    private let lock = NSLock()
    private var recorded: [Call] = []
    private var open: [Int] = []

    /// The calls, in the order they started.
    var calls: [Call] { lock.withLock { recorded } }

    func call(_ module: Module, with input: consuming Tensor) -> Tensor {
        let index = lock.withLock {
            if let parent = open.last { recorded[parent].hasInnerCalls = true }
            recorded.append(Call(module: module, parent: open.last, input: input.gradNode,
                                 inputBytes: Self.bytesPerImage(input)))
            open.append(recorded.count - 1)
            return recorded.count - 1
        }
        let output = module.forward(input)
        lock.withLock {
            open.removeLast()
            let bytes = Self.bytesPerImage(output)
            recorded[index].output = output.gradNode
            recorded[index].outputBytes = bytes
            var ancestor = recorded[index].parent
            while let a = ancestor {
                recorded[a].largestInnerBytes = Swift.max(recorded[a].largestInnerBytes, bytes)
                ancestor = recorded[a].parent
            }
        }
        return output
    }

    /// The bytes of one image of a batch-first tensor.
    private static func bytesPerImage(_ tensor: Tensor) -> Int {
        tensor.rank == 0 ? MemoryLayout<Float>.stride : tensor.scalarCount / Swift.max(tensor.shape[0], 1) * MemoryLayout<Float>.stride
    }
}

/// How many ops of a traced graph read each result, by node.
struct ConsumerCounts {
    private var counts: [ObjectIdentifier: Int] = [:]

    /// Counts the readers of every node reachable from `output`; `output` itself counts one
    /// reader (the caller).
    init(output: GradNode) {
        counts[ObjectIdentifier(output)] = 1
        var visited: Set<ObjectIdentifier> = [ObjectIdentifier(output)]
        var stack = [output]
        while let node = stack.popLast() {
            for input in node.inputNodes {
                counts[ObjectIdentifier(input), default: 0] += 1
                if visited.insert(ObjectIdentifier(input)).inserted { stack.append(input) }
            }
        }
    }

    /// The number of ops that read `node`'s result.
    subscript(node: GradNode) -> Int { counts[ObjectIdentifier(node)] ?? 0 }
}

extension GradNode {
    /// The op names of the nodes between this result and `input` (leaves — parameters — not
    /// included).
    func ops(since input: GradNode) -> Set<String> {
        var ops: Set<String> = []
        var visited: Set<ObjectIdentifier> = [ObjectIdentifier(input)]
        var stack = [self]
        while let node = stack.popLast() {
            guard visited.insert(ObjectIdentifier(node)).inserted, !node.isLeaf else { continue }
            ops.insert(node.op)
            stack.append(contentsOf: node.inputNodes)
        }
        return ops
    }
}
