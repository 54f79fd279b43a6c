import Foundation
import Tensor

/// Which value types can hold a module part (a ``Parameter``, ``Buffer`` or ``Module``),
/// decided from the type alone and remembered per type: the reflection's filter, so that a
/// property of a type that cannot hold a part (a number, a `[Float]`, a `Tensor?`, a
/// reference to another class) costs one table look-up instead of a cast per part kind and a
/// mirror.
///
/// The answer depends only on the type, so it is right for every value of it whatever its
/// contents, and for every instance whatever is assigned to its `var`s later: an `Int`, a
/// `[Float]` or a `[String: Bool]` can never contain a layer. A type whose contents are not
/// fixed by the type — a struct, an enum, a tuple, an existential such as `Any` — answers
/// `true` and is looked into value by value.
enum PartTypes {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var decided: [ObjectIdentifier: Bool] = [:]

    /// Whether a value of dynamic type `type` can be or contain a part.
    static func mayHoldParts(_ type: Any.Type) -> Bool {
        let key = ObjectIdentifier(type)
        if let known = lock.withLock({ decided[key] }) { return known }
        let answer = decide(type)
        lock.withLock { decided[key] = answer }
        return answer
    }

    private static func decide(_ type: Any.Type) -> Bool {
        if type is Module.Type || type is Parameter.Type || type is Buffer.Type { return true }
        // Other classes are shared references the reflection does not enter (as PyTorch leaves
        // plain attributes alone); an existential is never a class type here, so `Any` or
        // `any Layer` elements still count as possible parts.
        if type is AnyClass { return false }
        if let container = type as? any ReflectedContainer.Type {
            return container.reflectedElementTypes.contains { mayHoldParts($0) }
        }
        if type is any Numeric.Type || type is Bool.Type || type is String.Type || type is Character.Type
            || type is Tensor.Type {
            return false
        }
        return true
    }
}

/// A standard container whose element types are known statically, for ``PartTypes``.
protocol ReflectedContainer {
    /// The types of the values it holds (a dictionary's keys and values).
    static var reflectedElementTypes: [Any.Type] { get }
}

extension Optional: ReflectedContainer {
    static var reflectedElementTypes: [Any.Type] { [Wrapped.self] }
}

extension Array: ReflectedContainer {
    static var reflectedElementTypes: [Any.Type] { [Element.self] }
}

extension Set: ReflectedContainer {
    static var reflectedElementTypes: [Any.Type] { [Element.self] }
}

extension Dictionary: ReflectedContainer {
    static var reflectedElementTypes: [Any.Type] { [Key.self, Value.self] }
}
