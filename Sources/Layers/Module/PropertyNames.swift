import Foundation

/// The state-dictionary names of a module type's stored properties (the snake_case of each
/// label, or its ``Module/propertyKeys`` entry), worked out once per type.
///
/// A type's stored properties, their order and their labels are fixed when it is compiled, so
/// the names can be kept for good however the instances change; recomputing them on every
/// reflection was a fifth of its time (the snake_case conversion asks Unicode properties of
/// every character).
enum PropertyNames {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var known: [ObjectIdentifier: [[String?]]] = [:]

    /// The names of the children of each of `mirrors` — the mirrors of a `type` instance and its
    /// superclasses down to `Module`, in that order — by position; `nil` for an unlabelled child.
    static func names(of type: Module.Type, mirrors: [Mirror]) -> [[String?]] {
        let key = ObjectIdentifier(type)
        if let names = lock.withLock({ known[key] }) { return names }
        let keys = type.propertyKeys
        let names = mirrors.map { mirror in
            mirror.children.map { child in child.label.map { keys[$0] ?? StateName.snakeCase($0) } }
        }
        lock.withLock { known[key] = names }
        return names
    }
}
