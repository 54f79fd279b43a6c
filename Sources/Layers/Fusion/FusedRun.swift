import Tensor

/// The hook that applies a ``FusionPlan`` during one forward pass (one task, one thread: the
/// chunks of a chunked block run one after another through the same run).
final class FusedRun: ModuleCallHook, @unchecked Sendable {
    private let plan: FusionPlan
    /// The result of the last fused op and the module calls it took over that are still to
    /// come: each returns the result unchanged when handed it.
    private var pending: (output: Tensor, absorbed: ArraySlice<ObjectIdentifier>)?

    /// A run of `plan`.
    init(plan: FusionPlan) {
        self.plan = plan
    }

    /// Lets go of the last fused result (the forward pass returned; a checkpoint's replay may
    /// still use the run, and must not keep a tensor alive through it).
    func finish() {
        pending = nil
    }

    func call(_ module: Module, with input: consuming Tensor) -> Tensor {
        let id = ObjectIdentifier(module)
        // Other calls in between (the containers around the next layer) leave the chain as it is.
        if let (output, absorbed) = pending, absorbed.first == id {
            let rest = absorbed.dropFirst()
            pending = rest.isEmpty ? nil : (output, rest)
            if input.sharesStorage(with: output) { return input }
            pending = nil  // the pass left the traced path: run the module as it is
        }
        switch plan.actions[id] {
        case .convolution(let chain)?:
            if let conv = module as? Conv2D, let output = run(chain, conv: conv, on: input) {
                pending = (output, chain.absorbed[...])
                return output
            }
        case .normalization(let activation, let absorbed)?:
            if let norm = module as? BatchNorm {
                let output = norm.normalized(input, activation: activation)
                pending = (output, [absorbed][...])
                return output
            }
        case .chunked(let bytesPerImage)?:
            if !module.isTraining && input.rank >= 1 && !tapeWouldRecord([input]) {
                let images = imagesPerChunk(budgetBytes: inferenceChunkBytes, bytesPerImage: bytesPerImage)
                return inBatchChunks(input, imagesPerChunk: images) { module.forward($0) }
            }
        case nil:
            break
        }
        if let activation = FusedActivation(module), !tapeWouldRecord([input]) {
            return activation.applied(inPlace: input)
        }
        return module.forward(input)
    }

    /// The chain's result for `input`, or `nil` when its batch norm is in training mode
    /// (then the layers run one by one).
    private func run(_ chain: FusionPlan.ConvolutionChain, conv: Conv2D, on input: Tensor) -> Tensor? {
        if chain.normalization?.isTraining == true { return nil }
        let normalization = chain.normalization.map(EvalBatchNorm.init)
        let body = { (images: Tensor) -> Tensor in
            let features = convBatchNormActivation(images, weight: conv.weight.value, bias: conv.bias?.value,
                                                   stride: conv.stride, padding: conv.padding, dilation: conv.dilation,
                                                   groups: conv.groups, normalization: normalization,
                                                   activation: chain.activation)
            return chain.pool?.forward(features) ?? features
        }
        guard let bytesPerImage = chain.chunkBytesPerImage, input.rank == 4,
              !tapeWouldRecord([input, conv.weight.value, conv.bias?.value]) else { return body(input) }
        return inBatchChunks(input, imagesPerChunk: imagesPerChunk(budgetBytes: inferenceChunkBytes, bytesPerImage: bytesPerImage), body)
    }
}

extension EvalBatchNorm {
    /// The eval-mode map of a batch norm with running statistics.
    init(_ norm: BatchNorm) {
        guard let runningMean = norm.runningMean, let runningVariance = norm.runningVariance else {
            preconditionFailure("EvalBatchNorm: \(type(of: norm)) keeps no running statistics")
        }
        self.init(runningMean: runningMean.value, runningVariance: runningVariance.value, weight: norm.weight?.value,
                  bias: norm.bias?.value, epsilon: norm.epsilon)
    }
}

extension FusedActivation {
    /// The activation written into `input`'s buffer when nothing else holds it (else into a
    /// copy): the same values as ``applied(to:)``, without recording.
    func applied(inPlace input: consuming Tensor) -> Tensor {
        var output = consume input
        guard self != .identity else { return output }
        let (lower, upper) = bounds
        output.withUnsafeMutableBufferPointer { y in
            let count = y.count, y = y.baseAddress!
            Parallel.forEachChunk(count: count) { range in
                for i in range { y[i] = Swift.min(Swift.max(y[i], lower), upper) }
            }
        }
        return output
    }
}
