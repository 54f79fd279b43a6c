import ArgumentParser
import PneumoniaKit

/// How `train` turns the network's scores into decisions at the end: threshold rule,
/// probability calibration and test-time views. Each property is the training-configuration
/// choice of the same name; `nil` keeps the default, or the resumed run's value.
struct DecisionOptions: ParsableArguments, Encodable {
    @Option(help: "Decision threshold rule: fixed (0.5), youden, or shifted-youden (on validation under acquisition shifts); default fixed, for folders shifted-youden.")
    var thresholdRule: ThresholdRule?

    @Option(help: "Probability calibration fitted on validation at the end: temperature, platt or none (default temperature).")
    var calibration: CalibrationChoice?

    @Option(name: .customLong("tta-shift"),
            help: "Test-time augmentation: score each image also shifted by this fraction of its side in four directions and average (0 = off; default 0.04).")
    var testTimeShift: Double?
}
