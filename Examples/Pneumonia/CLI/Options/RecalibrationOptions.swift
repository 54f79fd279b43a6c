import ArgumentParser
import PneumoniaKit

/// What `calibrate` fits again: the calibration method and threshold rule. Each property is
/// the training-configuration choice of the same name; `nil` keeps the run's.
struct RecalibrationOptions: ParsableArguments, Encodable {
    @Option(name: .customLong("method"), help: "temperature, platt or none (default: the run's method).")
    var calibration: CalibrationChoice?

    @Option(help: "fixed, youden or shifted-youden (default: the run's).")
    var thresholdRule: ThresholdRule?
}
