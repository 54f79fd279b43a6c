import ArgumentParser
import PneumoniaKit

/// What `calibrate` fits again: the calibration method and threshold rule. Each property is
/// the training-configuration choice of the same name; `nil` keeps the run's.
public struct RecalibrationOptions: ParsableArguments, Encodable {
    /// No choice given yet (ArgumentParser fills in what is).
    public init() {}

    @Option(name: .customLong("method"), help: "temperature, platt or none (default: the run's method).")
    var calibration: CalibrationChoice?

    @Option(help: "fixed, youden or shifted-youden (default: the run's).")
    var thresholdRule: ThresholdRule?
}
