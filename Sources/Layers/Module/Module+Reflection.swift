import Tensor

// Finding a module's parts by reflection: stored properties of type Parameter, Buffer, Module,
// or optionals, arrays, tuples and String-keyed dictionaries of them, named after the property,
// nested with dots; a part held anywhere else stops the process naming the property.

/// One part of a module found by reflection.
enum ModuleMember {
    case parameter(Parameter)
    case buffer(Buffer)
    case module(Module)
}

extension Module {
    /// This module's own parts (not those of its sublayers), in declaration order with
    /// superclass properties first.
    ///
    /// Read afresh from the instance on every call, on purpose: only what a type fixes is
    /// cached, per type — the properties' names (``PropertyNames``) and which value types cannot
    /// hold a part (``PartTypes``). A per-instance cache of the parts would go stale when a `var`
    /// child is replaced (`model.fc = Linear(…)` for transfer learning) or a `var` array grows,
    /// leaving the new parameters out of the optimizer without a word — the failure this
    /// reflection exists to rule out — unless every such change called an invalidation method
    /// that nothing can enforce. What it would save is small: `parameters` costs, as the median
    /// thread CPU time of 5–6 runs of `fathom-bench reflection` on a shared 2-core Xeon (family 6
    /// model 207) — 1.31 ms for ResNet-18 (68 modules) and 2.94 ms for EfficientNet-Lite0 (118)
    /// without the per-type caches, 1.21 / 2.53 ms with the value-type table, 0.90 / 1.85 ms with
    /// the names too (`namedParameters()` the same) — against about 520 ms for a ResNet-18
    /// training step at batch 32 (61 img/s): 0.2 % per call, and a step makes two or three.
    func directMembers() -> [(name: String, member: ModuleMember)] {
        var mirrors: [Mirror] = []
        var next: Mirror? = Mirror(reflecting: self)
        while let mirror = next, mirror.subjectType != Module.self {
            mirrors.append(mirror)
            next = mirror.superclassMirror
        }
        let names = PropertyNames.names(of: type(of: self), mirrors: mirrors)
        var members: [(name: String, member: ModuleMember)] = []
        for (mirror, names) in zip(mirrors, names).reversed() {
            for (child, name) in zip(mirror.children, names) {
                guard let name else { continue }
                Self.collect(child.value, name: name, into: &members)
            }
        }
        return members
    }

    /// Appends `value` if it is a part, or the parts inside it: optionals unwrap; the elements
    /// of arrays (nested too) and tuples are named `name.0`, `name.1`, … (a labelled tuple
    /// element by its label); dictionaries with `String` keys name their values `name.key` in
    /// key order, as PyTorch's `ModuleDict`. A value whose type cannot hold a part
    /// (``PartTypes``) is skipped after one table look-up.
    ///
    /// Every other place a part could hide stops with a message naming the property, rather
    /// than leaving its parameters out of the optimizer silently: containers whose order is not
    /// defined (sets, dictionaries with other keys or with parts as keys) would give names that
    /// change from run to run, and the fields of a struct or an enum's payload are not a
    /// module's namespace (a property wrapper's storage, `_name`, is such a struct). References
    /// to classes other than ``Module``, ``Parameter`` and ``Buffer`` are not entered: they are
    /// shared objects, not parts.
    private static func collect(_ value: Any, name: String, into members: inout [(name: String, member: ModuleMember)]) {
        guard PartTypes.mayHoldParts(type(of: value)) else { return }
        if let parameter = value as? Parameter {
            members.append((name, .parameter(parameter)))
        } else if let buffer = value as? Buffer {
            members.append((name, .buffer(buffer)))
        } else if let module = value as? Module {
            members.append((name, .module(module)))
        } else {
            collectFromContainer(value, name: name, into: &members)
        }
    }

    /// The container cases of ``collect(_:name:into:)``, by the value's reflected shape. Every
    /// element of an array is looked into (an empty or `nil` first element says nothing about
    /// the rest); arrays of types that cannot hold parts never get here.
    private static func collectFromContainer(_ value: Any, name: String, into members: inout [(name: String, member: ModuleMember)]) {
        let mirror = Mirror(reflecting: value)
        switch mirror.displayStyle {
        case .optional:
            if let wrapped = mirror.children.first?.value { collect(wrapped, name: name, into: &members) }
        case .collection:
            for (i, element) in mirror.children.enumerated() { collect(element.value, name: StateName.join(name, "\(i)"), into: &members) }
        case .tuple:
            for (i, element) in mirror.children.enumerated() {
                let label = element.label.map { $0.hasPrefix(".") ? String($0.dropFirst()) : $0 } ?? "\(i)"
                collect(element.value, name: StateName.join(name, label), into: &members)
            }
        case .dictionary:
            collectFromDictionary(mirror, of: value, name: name, into: &members)
        case .set:
            guard mirror.children.contains(where: { holdsPart($0.value, name: name) }) else { return }
            unsupported(name, value, "a set has no order, so its state-dictionary names would change from run to run; use an array")
        case .struct, .enum:
            guard mirror.children.contains(where: { holdsPart($0.value, name: StateName.join(name, $0.label ?? "")) }) else { return }
            unsupported(name, value, "the reflection does not name the fields of a struct or the payload of an enum; "
                + "make the type a Module subclass, or store its parts in the module's own properties, arrays, tuples "
                + "or String-keyed dictionaries")
        default:
            return
        }
    }

    /// The dictionary case of ``collectFromContainer(_:name:into:)``: values named by their
    /// `String` keys in key order; other keys stop when a value holds a part, and so do parts
    /// used as keys.
    private static func collectFromDictionary(_ mirror: Mirror, of value: Any, name: String,
                                              into members: inout [(name: String, member: ModuleMember)]) {
        let entries = mirror.children.compactMap { entry -> (key: Any, value: Any)? in
            let pair = Array(Mirror(reflecting: entry.value).children)
            return pair.count == 2 ? (pair[0].value, pair[1].value) : nil
        }
        if entries.contains(where: { holdsPart($0.key, name: name) }) {
            unsupported(name, value, "layers or parameters as keys have no stable names; key them by String")
        }
        guard entries.contains(where: { holdsPart($0.value, name: name) }) else { return }
        let keyed = entries.compactMap { entry in (entry.key as? String).map { (key: $0, value: entry.value) } }
        guard keyed.count == entries.count else {
            unsupported(name, value, "only dictionaries with String keys (named in key order) or arrays give stable state-dictionary names")
        }
        for entry in keyed.sorted(by: { $0.key < $1.key }) {
            collect(entry.value, name: StateName.join(name, entry.key), into: &members)
        }
    }

    /// Stops: the property `name` holds a part in a `value` the reflection cannot name, for
    /// `reason`.
    private static func unsupported(_ name: String, _ value: Any, _ reason: String) -> Never {
        preconditionFailure("module property '\(name)' is a \(type(of: value)) holding layers or parameters: \(reason)")
    }

    /// Whether `value` is a part or a container holding one (`name` locates it in messages).
    private static func holdsPart(_ value: Any, name: String) -> Bool {
        var found: [(name: String, member: ModuleMember)] = []
        collect(value, name: name, into: &found)
        return !found.isEmpty
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
