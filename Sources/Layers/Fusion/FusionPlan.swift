import Tensor

/// What the fusion transform does at the module calls of one model for one image shape,
/// planned once from a traced forward pass (``FusionTracer``) and then applied to every
/// forward pass of that shape by ``FusedRun``.
///
/// Three rewrites, each a pattern in the traced graph whose intermediate results have no
/// other reader (the counts come from the tape, so a model that also used an intermediate
/// elsewhere is left as it is):
/// - **Convolution chains** (inference): a ``Conv2D`` followed by an eval-mode
///   ``BatchNorm2D`` and/or a ``ReLU``/``ReLU6`` runs as one op,
///   ``convBatchNormActivation(_:weight:bias:stride:padding:dilation:groups:normalization:activation:)``:
///   one activation tensor instead of three. A ``MaxPool2D`` after it joins the chain, which
///   then runs a few images at a time (ResNet's stem: its full-batch convolution output, four
///   times the pooled one, never exists).
/// - **Normalization + activation** (training): a ``BatchNorm`` followed by a ``ReLU`` or
///   ``ReLU6`` is one op that keeps less for the backward pass.
/// - **Chunked blocks** (inference): the innermost modules whose intermediate maps are larger
///   than their input and output (inverted residual blocks: 6× the channels) run a few images
///   at a time, built only of ops that treat the images of a batch independently.
///
/// The calls whose work a chain took over return their input unchanged when it is the
/// chain's result (checked by buffer identity), so the model's `forward` stays the plain
/// composition it reads as.
struct FusionPlan: @unchecked Sendable {  // immutable after planning; holds module references only to read their weights
    /// A convolution with what follows it.
    struct ConvolutionChain {
        /// The batch norm folded in, if any.
        let normalization: BatchNorm2D?
        /// The activation applied in place.
        let activation: FusedActivation
        /// The max pool that ends the chain, if any.
        let pool: MaxPool2D?
        /// The modules whose calls the chain takes over, in call order.
        let absorbed: [ObjectIdentifier]
        /// The convolution's output per image, when the chain runs in batch chunks.
        let chunkBytesPerImage: Int?
    }

    /// What happens at one module's calls.
    enum Action {
        /// The convolution runs the chain.
        case convolution(ConvolutionChain)
        /// The batch norm applies the activation too, and the activation module's call is
        /// taken over.
        case normalization(activation: FusedActivation, absorbs: ObjectIdentifier)
        /// The module runs a few images at a time.
        case chunked(bytesPerImage: Int)

        /// Whether two calls of one module planned the same thing.
        func isSame(_ other: Action) -> Bool {
            switch (self, other) {
            case let (.convolution(a), .convolution(b)):
                a.absorbed == b.absorbed && a.activation == b.activation && a.chunkBytesPerImage == b.chunkBytesPerImage
            case let (.normalization(a, x), .normalization(b, y)): a == b && x == y
            case let (.chunked(a), .chunked(b)): a == b
            default: false
            }
        }
    }

    /// The action per module.
    let actions: [ObjectIdentifier: Action]

    /// Ops that treat each image of a batch on its own, as a chunked block must.
    static let perImageOps: Set<String> = [
        "conv2d", "batchNorm", "maxPool2d", "avgPool2d", "relu", "relu6", "leakyRelu", "gelu", "sigmoid", "tanh",
        "clamp", "add", "subtract", "multiply", "divide", "negate", "pad", "dropout",
    ]

    /// Every module traced, kept alive so that no other module takes one's identifier.
    private let modules: [Module]

    /// The plan for the traced pass `calls` whose result is `output` (no node: nothing to
    /// fuse).
    init(calls: [FusionTracer.Call], output: GradNode?) {
        modules = calls.map(\.module)
        guard let output else {
            actions = [:]
            return
        }
        let readers = ConsumerCounts(output: output)
        // The leaf call that read each node, when exactly one op did. A call that hands its
        // input back unrecorded (identity, eval-mode dropout) may do more in another mode, so
        // nothing fuses across it.
        var soleReader: [ObjectIdentifier: Int] = [:]
        var passedThrough: Set<ObjectIdentifier> = []
        for (index, call) in calls.enumerated() where !call.hasInnerCalls {
            guard let input = call.input else { continue }
            if call.output === input {
                passedThrough.insert(ObjectIdentifier(input))
            } else if readers[input] == 1 {
                soleReader[ObjectIdentifier(input)] = index
            }
        }
        func next(after index: Int) -> (index: Int, module: Module)? {
            guard let node = calls[index].output, !passedThrough.contains(ObjectIdentifier(node)),
                  let reader = soleReader[ObjectIdentifier(node)] else { return nil }
            return (reader, calls[reader].module)
        }

        let chunked = Self.chunkedBlocks(calls)
        var perModule: [ObjectIdentifier: [Action?]] = [:]
        for (index, call) in calls.enumerated() {
            var action: Action?
            switch call.module {
            case let conv as Conv2D:
                action = Self.chain(from: index, conv: conv, calls: calls, next: next).map(Action.convolution)
            case is BatchNorm:
                if let (_, module) = next(after: index), let activation = FusedActivation(module), activation != .identity {
                    action = .normalization(activation: activation, absorbs: ObjectIdentifier(module))
                }
            default:
                action = chunked.contains(index) ? .chunked(bytesPerImage: call.largestInnerBytes) : nil
            }
            perModule[ObjectIdentifier(call.module), default: []].append(action)
        }
        // A module called several times (shared weights) is fused only if every call agrees.
        actions = perModule.compactMapValues { actions in
            guard let first = actions.first, let action = first,
                  actions.allSatisfy({ $0.map(action.isSame) ?? false }) else { return nil }
            return action
        }
    }

    /// The chain starting at the convolution call `index`, or `nil` when nothing follows it
    /// that fuses.
    private static func chain(from index: Int, conv: Conv2D, calls: [FusionTracer.Call],
                              next: (Int) -> (index: Int, module: Module)?) -> ConvolutionChain? {
        var absorbed: [ObjectIdentifier] = []
        var position = index
        var normalization: BatchNorm2D?
        var activation = FusedActivation.identity
        var pool: MaxPool2D?
        if let (i, module) = next(position), let norm = module as? BatchNorm2D,
           norm.runningMean != nil, norm.runningVariance != nil {
            (normalization, position) = (norm, i)
            absorbed.append(ObjectIdentifier(norm))
        }
        if let (i, module) = next(position), let fused = FusedActivation(module), fused != .identity {
            (activation, position) = (fused, i)
            absorbed.append(ObjectIdentifier(module))
        }
        guard !absorbed.isEmpty else { return nil }
        if let (_, module) = next(position), let maxPool = module as? MaxPool2D {
            pool = maxPool
            absorbed.append(ObjectIdentifier(maxPool))
        }
        return ConvolutionChain(normalization: normalization, activation: activation, pool: pool, absorbed: absorbed,
                                chunkBytesPerImage: pool == nil ? nil : calls[index].outputBytes)
    }

    /// The calls to run in batch chunks: not the model itself; their intermediate maps larger
    /// than their input and output, or at least twice the smaller of them (EfficientNet's first
    /// block, 32 channels inside and 16 out, held 12 MiB more at its peak unchunked: the
    /// measured case); made of per-image ops only; and no such block inside them.
    private static func chunkedBlocks(_ calls: [FusionTracer.Call]) -> Set<Int> {
        let candidates = calls.indices.filter { i in
            let call = calls[i], inner = call.largestInnerBytes
            guard call.parent != nil, call.hasInnerCalls, let input = call.input, let output = call.output,
                  inner > Swift.max(call.inputBytes, call.outputBytes) || inner >= 2 * Swift.min(call.inputBytes, call.outputBytes)
            else { return false }
            return output.ops(since: input).isSubset(of: perImageOps)
        }
        // Innermost only: drop every candidate that is an ancestor of another.
        var ancestors: Set<Int> = []
        for i in candidates {
            var ancestor = calls[i].parent
            while let a = ancestor {
                ancestors.insert(a)
                ancestor = calls[a].parent
            }
        }
        return Set(candidates).subtracting(ancestors)
    }
}

extension FusionPlan {
    /// One line per fusion, with the modules' state-dictionary names (`""` is the model):
    /// `conv1 + bn1 + relu + maxpool, in batch chunks`, `layer1.0.bn1 + layer1.0.relu`,
    /// `features.2: in batch chunks`; sorted.
    func descriptions(names: [ObjectIdentifier: String]) -> [String] {
        func name(_ id: ObjectIdentifier) -> String { names[id] ?? "?" }
        return actions.map { id, action in
            switch action {
            case .convolution(let chain):
                ([name(id)] + chain.absorbed.map(name)).joined(separator: " + ")
                    + (chain.chunkBytesPerImage == nil ? "" : ", in batch chunks")
            case .normalization(_, let absorbed):
                "\(name(id)) + \(name(absorbed))"
            case .chunked:
                "\(name(id)): in batch chunks"
            }
        }.sorted()
    }
}
