/// How a file of pretrained weights names and lays out its tensors.
public enum PretrainedLayout: String, Sendable, Equatable, CaseIterable {
    /// PyTorch state dictionaries: the model's own dotted names (`_blocks.3._bn1.running_var`)
    /// and OIHW convolution weights, as Fathom's zoo uses them; loaded by name.
    case pytorch
    /// TF-Lite exports as `NN_conv.weight`, `NN_dwconv.bias`: `NN` is the operator's position in
    /// the graph, convolution weights are OHWI, depthwise weights 1HWC, and batch norm is folded
    /// into the biases. Loaded by position (see ``PretrainedWeights``).
    case tensorFlowLite

    /// The layout of a file holding tensors called `names`: TF-Lite when every name has the
    /// form `NN_conv.weight` / `NN_dwconv.bias`, PyTorch otherwise.
    public init(detectingFrom names: some Collection<String>) {
        let isTensorFlowLite = !names.isEmpty && names.allSatisfy { TensorFlowLiteName($0) != nil }
        self = isTensorFlowLite ? .tensorFlowLite : .pytorch
    }
}

/// A parsed TF-Lite tensor name, `NN_kind.role`: `03_conv.weight` is the weight of the
/// operator at position 3, a convolution.
struct TensorFlowLiteName: Hashable {
    /// What the operator is.
    enum Kind: String { case conv, dwconv }

    /// The operator's position in the graph.
    let operatorIndex: Int
    /// A full or a depthwise convolution.
    let kind: Kind
    /// `weight` or `bias`.
    let role: String

    /// The parts of `name`, or `nil` when it does not have the TF-Lite form.
    init?(_ name: String) {
        let parts = name.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[1] == "weight" || parts[1] == "bias" else { return nil }
        let op = parts[0].split(separator: "_", maxSplits: 1, omittingEmptySubsequences: false)
        guard op.count == 2, !op[0].isEmpty, op[0].allSatisfy(\.isASCII), let index = Int(op[0]), index >= 0,
              let kind = Kind(rawValue: String(op[1])) else { return nil }
        (operatorIndex, self.kind, role) = (index, kind, String(parts[1]))
    }
}
