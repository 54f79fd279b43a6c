import Testing
import Tensor
import Layers

// No part of a module is left out silently: every place a parameter or layer can be stored is
// either named, or stops the process with a message naming the property.

/// A layer that is hashable, to be put in sets and used as a key.
private final class Tagged: Module, Hashable {
    let scale = Parameter(Tensor.ones([1]))
    static func == (a: Tagged, b: Tagged) -> Bool { a === b }
    func hash(into hasher: inout Hasher) { hasher.combine(ObjectIdentifier(self)) }
}

/// Layers in a set: no stable order, so no stable names.
private final class LayersInASet: Module {
    let layers: Set<Tagged> = [Tagged(), Tagged()]
}

/// Layers in a dictionary keyed by integers.
private final class LayersByNumber: Module {
    let heads: [Int: Tagged] = [1: Tagged(), 2: Tagged()]
}

/// Layers as dictionary keys.
private final class LayersAsKeys: Module {
    let weights: [Tagged: String] = [Tagged(): "a"]
}

/// A struct holding a parameter (its fields are not a module's namespace).
private struct GatePair {
    let gate: Parameter
    let width: Int
}

private final class ParameterInAStruct: Module {
    let pair = GatePair(gate: Parameter(Tensor.ones([2])), width: 2)
}

/// A property wrapper: the layer lives in the wrapper's struct, `_head`.
@propertyWrapper private struct Described<Value> {
    var wrappedValue: Value
    let note = "the classifier"
}

private final class LayerInAPropertyWrapper: Module {
    @Described var head = Tagged()
}

/// An enum with a layer as payload.
private enum Choice {
    case layer(Tagged)
    case none
}

private final class LayerInAnEnum: Module {
    let choice = Choice.layer(Tagged())
}

/// Parts the reflection names even though the first element of their container holds none.
private final class LateParts: Module {
    let optionals: [Tagged?] = [nil, Tagged()]
    let ragged: [[Tagged]] = [[], [Tagged()]]
    let mixed: [Any] = [1, "two", Tagged()]
    let settings = (rate: 0.5, steps: 3)
    let generator = RandomGenerator(seed: 1)
    let absentList: [Tagged]? = nil
}

/// A transfer-learning head replaced after the first use.
private final class Replaceable: Module {
    var head = Tagged()
    var extra: Tagged?
}

/// The unsupported places, each with the property its message must name.
enum UnsupportedPlace: String, Codable, Sendable, CaseIterable {
    case set, integerKeys, layerKeys, structField, propertyWrapper, enumPayload

    /// The property the stop message names.
    var property: String {
        switch self {
        case .set: "layers"
        case .integerKeys: "heads"
        case .layerKeys: "weights"
        case .structField: "pair"
        case .propertyWrapper: "_head"
        case .enumPayload: "choice"
        }
    }

    /// Reflects a module holding a part there (through various entry points).
    func reflect() {
        switch self {
        case .set: _ = LayersInASet().namedParameters()
        case .integerKeys: _ = LayersByNumber().namedParameters()
        case .layerKeys: _ = LayersAsKeys().parameters
        case .structField: _ = ParameterInAStruct().parameters
        case .propertyWrapper: _ = LayerInAPropertyWrapper().stateDictionary()
        case .enumPayload: _ = LayerInAnEnum().namedModules()
        }
    }
}

@Suite struct ModuleReflectionGapTests {
    @Test(arguments: UnsupportedPlace.allCases)
    func aPartWhereNoNameIsStableStopsNamingTheProperty(_ place: UnsupportedPlace) async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) { [place] in
            place.reflect()
        }
        #if DEBUG
        // Optimized builds trap without printing precondition messages.
        let message = String(decoding: result?.standardErrorContent ?? [], as: UTF8.self)
        #expect(message.contains("module property '\(place.property)'"), "\(message)")
        #endif
    }

    @Test func partsAfterAnEmptyOrAbsentFirstElementAreFound() {
        let model = LateParts()
        #expect(model.namedParameters().map(\.name) == ["optionals.1.scale", "ragged.1.0.scale", "mixed.2.scale"])
        #expect(model.parameters.count == 3)
    }

    @Test func reassignedLayersAreSeenAtTheNextCall() {
        let model = Replaceable()
        let first = model.parameters
        model.head = Tagged()
        model.extra = Tagged()
        let second = model.parameters
        #expect(second.count == 2 && second[0] !== first[0] && second[1] === model.extra?.scale)
        #expect(model.namedParameters().map(\.name) == ["head.scale", "extra.scale"])
    }
}
