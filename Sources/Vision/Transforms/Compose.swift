import Tensor

/// Transforms applied one after another, each drawing from the same generator in turn.
///
/// Build it from an array (`Compose([Resize(size: 128), Normalize(...)])`) or with the
/// result-builder syntax, which also accepts `if` and `for`:
///
/// ```swift
/// let pipeline = Compose {
///     Resize(size: 128)
///     if training { RandomHorizontalFlip() }
///     Normalize(mean: [0.5], standardDeviation: [0.25])
/// }
/// ```
public struct Compose: Transform {
    /// The transforms, in the order they are applied.
    public let transforms: [any Transform]

    /// A pipeline of `transforms`, applied first to last.
    public init(_ transforms: [any Transform]) {
        self.transforms = transforms
    }

    /// A pipeline written with ``TransformBuilder`` syntax.
    public init(@TransformBuilder _ build: () -> [any Transform]) {
        self.transforms = build()
    }

    /// The image after every transform, in order.
    public func callAsFunction(_ image: Tensor, generator: inout RandomGenerator) -> Tensor {
        var result = image
        for transform in transforms { result = transform(result, generator: &generator) }
        return result
    }
}

/// The result builder behind `Compose { ... }`: a list of transforms with `if`/`for` support.
@resultBuilder
public enum TransformBuilder {
    /// One transform as a list.
    public static func buildExpression(_ transform: any Transform) -> [any Transform] { [transform] }
    /// Lists joined in order.
    public static func buildBlock(_ parts: [any Transform]...) -> [any Transform] { parts.flatMap { $0 } }
    /// The body of an `if` without `else`, or nothing.
    public static func buildOptional(_ part: [any Transform]?) -> [any Transform] { part ?? [] }
    /// The `if` branch of an `if`/`else`.
    public static func buildEither(first part: [any Transform]) -> [any Transform] { part }
    /// The `else` branch of an `if`/`else`.
    public static func buildEither(second part: [any Transform]) -> [any Transform] { part }
    /// The bodies of a `for` loop, joined.
    public static func buildArray(_ parts: [[any Transform]]) -> [any Transform] { parts.flatMap { $0 } }
}
