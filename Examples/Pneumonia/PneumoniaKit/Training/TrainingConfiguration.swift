import Foundation
import Serialization

/// Every choice of a training run. The defaults are the recipe behind `pneumonia train` with
/// no options: PneumoniaMNIST 28×28, the compact CNN, AdamW with warmup and cosine decay,
/// light affine augmentation, class-balanced loss weights and an exponential moving average of
/// the weights — chosen by measurement to fit in five minutes on two cores (see README.md,
/// "Results").
///
/// The choices are declared once, in ``Values``, and read and written here by name
/// (`configuration.epochs`). Their `run.json` form is ``Values``' own `Codable` form; reading
/// lays the stored keys over the defaults, so that run directories written before an option
/// existed still load, and ``overlaid(with:)`` lays command-line choices over a configuration
/// the same way.
@dynamicMemberLookup
public struct TrainingConfiguration: Codable, Sendable, Equatable {
    /// The choices.
    public var values: Values

    /// The defaults.
    public init() { values = Values() }

    /// One choice, by its name in ``Values``.
    public subscript<Value>(dynamicMember keyPath: WritableKeyPath<Values, Value>) -> Value {
        get { values[keyPath: keyPath] }
        set { values[keyPath: keyPath] = newValue }
    }

    /// The epochs with a frozen backbone: ``Values/frozenEpochs``, or 2 with pretrained weights
    /// and 0 without when unset.
    public var frozenEpochCount: Int {
        values.pretrained == nil ? 0 : values.frozenEpochs ?? 2
    }
}

extension TrainingConfiguration {
    /// Reads a configuration, taking the default for every key the JSON lacks, so that run
    /// directories written by earlier versions (before an option existed) still load. Keys
    /// that are no choice are ignored; a value of the wrong type throws a `DecodingError`.
    public init(from decoder: any Decoder) throws {
        values = try JSONValue(from: decoder).applied(to: Values())
    }

    /// Writes every choice under its name (unset optional choices are left out).
    public func encode(to encoder: any Encoder) throws {
        try values.encode(to: encoder)
    }

    /// This configuration with the choices `overrides` encodes laid over it: each key it
    /// encodes names a choice (a property of ``Values``) and sets it; `nil` values leave the
    /// choice as it is. How `pneumonia train` applies its options to the defaults or to a run
    /// it resumes, declared once as the option groups' properties.
    /// - Throws: ``UnknownChoiceError`` for a key that is not a choice; a `DecodingError` for a
    ///   value of the wrong type.
    public func overlaid(with overrides: some Encodable) throws -> TrainingConfiguration {
        let layer = try JSONValue(encoding: overrides)
        guard case let .object(members) = layer else { preconditionFailure("overrides must encode as keyed values") }
        let names = Set(Mirror(reflecting: values).children.compactMap(\.label))
        if let unknown = members.keys.sorted().first(where: { !names.contains($0) }) {
            throw UnknownChoiceError(key: unknown)
        }
        var result = self
        result.values = try layer.applied(to: values)
        return result
    }

    /// An override naming no choice of ``Values`` (a programming error in the command line's
    /// option declarations).
    public struct UnknownChoiceError: Error, CustomStringConvertible {
        /// The key that names no choice.
        public let key: String
        /// A message naming the key.
        public var description: String { "'\(key)' is not a training configuration choice" }
    }
}
