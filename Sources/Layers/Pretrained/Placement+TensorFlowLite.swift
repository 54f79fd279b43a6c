import Tensor

// TF-Lite names carry only the operator's position (`05_conv.weight`), so where a tensor goes
// is derived from order: the graph runs its convolutions in the order the zoo's modules are
// declared (stem, then each block's expansion, depthwise and projection, then the head and the
// classifier).

extension Placement {
    /// One convolution operator of the file: its position, kind and tensors by role.
    private struct Operator {
        let name: TensorFlowLiteName
        var tensors: [String: (file: String, tensor: Tensor)] = [:]
    }

    /// The file's convolutions, sorted by operator position, paired with the model's `Conv2D`
    /// and `Linear` layers in module order, weights converted to the model's layout.
    init(tensorFlowLite tensors: [String: Tensor], model: Module) {
        var operators: [String: Operator] = [:]
        for (fileName, tensor) in tensors {
            guard let parsed = TensorFlowLiteName(fileName) else {
                unplaced.append(fileName)
                continue
            }
            let key = "\(parsed.operatorIndex)_\(parsed.kind.rawValue)"
            operators[key, default: Operator(name: parsed)].tensors[parsed.role] = (fileName, tensor)
        }
        let ordered = operators.values.sorted {
            ($0.name.operatorIndex, $0.name.kind.rawValue) < ($1.name.operatorIndex, $1.name.kind.rawValue)
        }
        let layers = model.namedModules().filter { $0.module is Conv2D || $0.module is Linear }
        for (position, op) in ordered.enumerated() {
            guard position < layers.count else {
                unplaced += op.tensors.values.map(\.file)
                continue
            }
            let (layerName, layer) = layers[position]
            for (role, entry) in op.tensors {
                let modelName = StateName.join(layerName, role)
                self.tensors[modelName] = role == "weight"
                    ? Self.modelLayout(weight: entry.tensor, kind: op.name.kind, for: layer) : entry.tensor
                sources[modelName] = entry.file
            }
        }
    }

    /// A TF-Lite weight in the layout of `layer`: OHWI → OIHW for convolutions, 1HWC → C1HW for
    /// depthwise ones, `[O, 1, 1, I]` → `[O, I]` for a 1×1 convolution that a `Linear` replaces.
    /// Anything else is returned as is and fails the shape check with both shapes named.
    static func modelLayout(weight: Tensor, kind: TensorFlowLiteName.Kind, for layer: Module) -> Tensor {
        guard weight.rank == 4 else { return weight }
        let s = weight.shape
        switch kind {
        case .dwconv:
            return weight.permuted([3, 0, 1, 2])
        case .conv where layer is Linear && s[1] == 1 && s[2] == 1:
            return weight.reshaped(to: [s[0], s[3]])
        case .conv:
            return weight.permuted([0, 3, 1, 2])
        }
    }
}
