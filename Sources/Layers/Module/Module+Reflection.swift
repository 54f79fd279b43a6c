import Tensor

// Finding a module's parts by reflection: stored properties of type Parameter, Buffer, Module
// (optionals and arrays included), named after the property, nested with dots.

/// One part of a module found by reflection.
enum ModuleMember {
    case parameter(Parameter)
    case buffer(Buffer)
    case module(Module)
}

extension Module {
    /// This module's own parts (not those of its sublayers), in declaration order with
    /// superclass properties first.
    func directMembers() -> [(name: String, member: ModuleMember)] {
        var mirrors: [Mirror] = []
        var next: Mirror? = Mirror(reflecting: self)
        while let mirror = next, mirror.subjectType != Module.self {
            mirrors.append(mirror)
            next = mirror.superclassMirror
        }
        let keys = type(of: self).propertyKeys
        var members: [(name: String, member: ModuleMember)] = []
        for mirror in mirrors.reversed() {
            for child in mirror.children {
                guard let label = child.label else { continue }
                Self.collect(child.value, name: keys[label] ?? StateName.snakeCase(label), into: &members)
            }
        }
        return members
    }

    /// Appends `value` if it is a part (optionals unwrap through the casts), or each element
    /// of an array of parts as `name.index`.
    private static func collect(_ value: Any, name: String, into members: inout [(name: String, member: ModuleMember)]) {
        if let parameter = value as? Parameter {
            members.append((name, .parameter(parameter)))
        } else if let buffer = value as? Buffer {
            members.append((name, .buffer(buffer)))
        } else if let module = value as? Module {
            members.append((name, .module(module)))
        } else if let modules = value as? [Module] {
            for (i, module) in modules.enumerated() { members.append((StateName.join(name, "\(i)"), .module(module))) }
        } else if let parameters = value as? [Parameter] {
            for (i, p) in parameters.enumerated() { members.append((StateName.join(name, "\(i)"), .parameter(p))) }
        } else if let buffers = value as? [Buffer] {
            for (i, b) in buffers.enumerated() { members.append((StateName.join(name, "\(i)"), .buffer(b))) }
        }
    }

    /// Visits every part of the tree once (a part reachable twice keeps its first name), with
    /// its full dotted name.
    private func visitMembers(_ visit: (String, ModuleMember) -> Void) {
        var seen: Set<ObjectIdentifier> = [ObjectIdentifier(self)]
        func walk(_ module: Module, prefix: String) {
            for (name, member) in module.directMembers() {
                let fullName = StateName.join(prefix, name)
                let identity: ObjectIdentifier
                switch member {
                case .parameter(let p): identity = ObjectIdentifier(p)
                case .buffer(let b): identity = ObjectIdentifier(b)
                case .module(let m): identity = ObjectIdentifier(m)
                }
                guard seen.insert(identity).inserted else { continue }
                visit(fullName, member)
                if case .module(let child) = member { walk(child, prefix: fullName) }
            }
        }
        walk(self, prefix: "")
    }

    /// The direct sublayers with their names (`conv1`, `layer1`, `0`, …).
    public func namedChildren() -> [(name: String, module: Module)] {
        directMembers().compactMap { name, member in
            if case .module(let m) = member { return (name, m) } else { return nil }
        }
    }

    /// This module (named `""`) and every sublayer, depth first, with dotted names.
    public func namedModules() -> [(name: String, module: Module)] {
        var result: [(name: String, module: Module)] = [("", self)]
        visitMembers { name, member in
            if case .module(let m) = member { result.append((name, m)) }
        }
        return result
    }

    /// This module and every sublayer, depth first.
    public func modules() -> [Module] { namedModules().map(\.module) }

    /// Every parameter of the tree, trainable or frozen, with its PyTorch-style name
    /// (`features.0.weight`).
    public func namedParameters() -> [(name: String, parameter: Parameter)] {
        var result: [(name: String, parameter: Parameter)] = []
        visitMembers { name, member in
            if case .parameter(let p) = member { result.append((name, p)) }
        }
        return result
    }

    /// Every buffer of the tree with its name (`layer1.0.bn1.running_mean`).
    public func namedBuffers() -> [(name: String, buffer: Buffer)] {
        var result: [(name: String, buffer: Buffer)] = []
        visitMembers { name, member in
            if case .buffer(let b) = member { result.append((name, b)) }
        }
        return result
    }

    /// The trainable parameters (those not frozen), for an optimizer.
    public var parameters: [Parameter] {
        namedParameters().map(\.parameter).filter(\.requiresGradient)
    }

    /// The number of scalars in all parameters, trainable or frozen (PyTorch's
    /// `sum(p.numel() for p in model.parameters())`).
    public var parameterCount: Int {
        namedParameters().reduce(0) { $0 + Shape.count(of: $1.parameter.shape) }
    }

    /// The number of scalars in the trainable parameters.
    public var trainableParameterCount: Int {
        parameters.reduce(0) { $0 + Shape.count(of: $1.shape) }
    }
}
