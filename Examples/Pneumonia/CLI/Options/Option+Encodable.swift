import ArgumentParser

/// An option encodes as its parsed value, so that an option group whose properties are named
/// after training-configuration choices encodes as those choices (an option not given, `nil`,
/// as `null`) and can be laid over a configuration with `TrainingConfiguration.overlaid(with:)`.
extension Option: @retroactive Encodable where Value: Encodable {
    /// Encodes ``wrappedValue``.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(wrappedValue)
    }
}
