import Layers
import Tensor

/// Collects the nodes and initializers of an ONNX graph while a module tree exports itself
/// (see ``ONNXExportable``).
///
/// Weights become initializers named by their state-dictionary names (`layer1.0.bn1.running_mean`),
/// so an exported file can be matched against the safetensors it came from; nodes and their
/// outputs are named after the module that made them (`features.0.0/Conv`).
public struct ONNXGraphBuilder {
    private(set) var nodes: [NodeProto] = []
    private(set) var initializers: [TensorProto] = []
    private var usedNames: Set<String>
    private var initializerNames: Set<String> = []
    private let parameterNames: [ObjectIdentifier: String]
    private let bufferNames: [ObjectIdentifier: String]
    private let modulePaths: [ObjectIdentifier: String]
    /// The state path of the module being exported (`""` for the root).
    public private(set) var currentPath = ""

    /// A builder for the tree under `root`, whose graph input is `inputName`.
    init(root: Module, inputName: String) {
        var parameters: [ObjectIdentifier: String] = [:], buffers: [ObjectIdentifier: String] = [:]
        var modules: [ObjectIdentifier: String] = [:]
        for (name, parameter) in root.namedParameters() { parameters[ObjectIdentifier(parameter)] = name }
        for (name, buffer) in root.namedBuffers() { buffers[ObjectIdentifier(buffer)] = name }
        for (name, module) in root.namedModules() where modules[ObjectIdentifier(module)] == nil {
            modules[ObjectIdentifier(module)] = name
        }
        (parameterNames, bufferNames, modulePaths) = (parameters, buffers, modules)
        usedNames = Set(parameters.values).union(buffers.values).union([inputName])
    }

    /// Exports `module` applied to `input`, with ``currentPath`` set to the module's state path.
    /// - Throws: ``ONNXExportError/unsupportedModule(type:path:reason:)`` naming the module when it
    ///   has no ONNX form, or whatever its export throws.
    public mutating func export(_ module: Module, _ input: ONNXValue) throws -> ONNXValue {
        let path = modulePaths[ObjectIdentifier(module)] ?? currentPath
        guard let exportable = module as? any ONNXExportable else {
            throw ONNXExportError.unsupportedModule(
                type: String(describing: type(of: module)), path: path,
                reason: "no ONNX form is defined for this module type (conform it to ONNXExportable)")
        }
        let outer = currentPath
        currentPath = path
        defer { currentPath = outer }
        return try exportable.export(input, into: &self)
    }

    /// The error for `module` (at the current path) when one of its settings has no ONNX form.
    public func unsupported(_ module: Module, _ reason: String) -> ONNXExportError {
        .unsupportedModule(type: String(describing: type(of: module)), path: currentPath, reason: reason)
    }

    /// The initializer holding `parameter`, named by its state-dictionary name.
    public mutating func initializer(_ parameter: Parameter) -> String {
        addInitializer(parameterNames[ObjectIdentifier(parameter)], role: "parameter", parameter.value)
    }

    /// The initializer holding `buffer`, named by its state-dictionary name.
    public mutating func initializer(_ buffer: Buffer) -> String {
        addInitializer(bufferNames[ObjectIdentifier(buffer)], role: "buffer", buffer.value)
    }

    /// A float constant named `<current path>.<name>` (an existing one of that name is reused).
    public mutating func constant(_ name: String, _ tensor: Tensor) -> String {
        addInitializer(currentPath.isEmpty ? name : currentPath + "." + name, role: name, tensor)
    }

    /// An int64 constant named `<current path>.<name>` (shapes for Reshape), a vector unless
    /// `shape` says otherwise (`[]` for a scalar).
    public mutating func constant(_ name: String, int64s values: [Int], shape: [Int]? = nil) -> String {
        let full = uniqueName(currentPath.isEmpty ? name : currentPath + "." + name)
        initializerNames.insert(full)
        initializers.append(TensorProto(name: full, dimensions: shape ?? [values.count], values: .int64(values)))
        return full
    }

    /// A float scalar shared by the whole graph, named `constant.<name>` (Clip's bounds).
    mutating func sharedScalar(_ name: String, _ value: Float) -> String {
        addInitializer("constant." + name, role: name, Tensor(shape: [], scalars: [value]))
    }

    /// Appends an `opType` node reading `inputs`; its output, of shape `[N] + featureShape`, is
    /// named after the current module and the operator.
    public mutating func node(_ opType: String, _ inputs: [String], _ attributes: [ONNXAttribute] = [],
                              featureShape: [Int]) -> ONNXValue {
        let output = uniqueName(currentPath.isEmpty ? opType : currentPath + "/" + opType)
        nodes.append(NodeProto(name: output, opType: opType, inputs: inputs, outputs: [output], attributes: attributes))
        return ONNXValue(name: output, featureShape: featureShape)
    }

    /// Gives the value `value` the name `name` everywhere (the graph's output names).
    mutating func rename(_ value: ONNXValue, to name: String) -> ONNXValue {
        guard value.name != name else { return value }
        usedNames.insert(name)
        for i in nodes.indices {
            nodes[i].inputs = nodes[i].inputs.map { $0 == value.name ? name : $0 }
            nodes[i].outputs = nodes[i].outputs.map { $0 == value.name ? name : $0 }
        }
        return ONNXValue(name: name, featureShape: value.featureShape)
    }

    /// `name`, or `name:2`, `name:3`, … when taken.
    private mutating func uniqueName(_ name: String) -> String {
        var candidate = name, k = 1
        while usedNames.contains(candidate) {
            k += 1
            candidate = "\(name):\(k)"
        }
        usedNames.insert(candidate)
        return candidate
    }

    /// Adds `tensor` once under `name` (a tensor outside the exported tree gets a name from the
    /// current path and `role`).
    private mutating func addInitializer(_ name: String?, role: String, _ tensor: Tensor) -> String {
        let name = name ?? uniqueName(currentPath.isEmpty ? role : currentPath + "." + role)
        if initializerNames.insert(name).inserted {
            usedNames.insert(name)
            initializers.append(TensorProto(name: name, dimensions: tensor.shape, values: .float(tensor.scalars)))
        }
        return name
    }
}
