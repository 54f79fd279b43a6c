/// The optimizer `train` uses (`--optimizer`).
public enum OptimizerChoice: String, Codable, CaseIterable, Sendable {
    /// AdamW, weight decay decoupled.
    case adamw
    /// Adam, weight decay in the gradient.
    case adam
    /// SGD with momentum 0.9, Nesterov.
    case sgd
}

/// The learning-rate schedule, per optimizer step, after the linear warmup (`--schedule`).
public enum ScheduleChoice: String, Codable, CaseIterable, Sendable {
    /// Cosine annealing to 1 % of the peak.
    case cosine
    /// One cycle (up, then down), no separate warmup.
    case onecycle
    /// ×0.1 at each third of training.
    case step
    /// The peak throughout.
    case constant
}

/// How the classes' imbalance is met (`--class-balance`).
public enum ClassBalanceChoice: String, Codable, CaseIterable, Sendable {
    /// Loss weights inverse to class frequency.
    case weights
    /// Class-balanced sampling.
    case sampler
    /// Neither.
    case none
}

/// How the decision threshold is chosen (`--threshold-rule`), on the calibrated scale.
public enum ThresholdRule: String, Codable, CaseIterable, Sendable {
    /// The class-balanced network's 0.5.
    case fixed
    /// Youden's J (sensitivity + specificity) on validation.
    case youden
    /// Youden's J on the validation images pooled over every acquisition shift.
    case shiftedYouden = "shifted-youden"

    /// How `run.json` and the model card describe it.
    public var summary: String {
        switch self {
        case .fixed: "fixed at 0.5 (class-balanced training)"
        case .youden: "Youden's J on validation"
        case .shiftedYouden: "Youden's J on validation pooled over \(AcquisitionShift.suite.count) acquisition shifts"
        }
    }
}

/// The probability calibration fitted at the end of training (`--calibration`).
public enum CalibrationChoice: String, Codable, CaseIterable, Sendable {
    /// Temperature scaling (the default; see ``TrainingConfiguration/Values/calibration``).
    case temperature
    /// Platt scaling.
    case platt
    /// Raw scores.
    case none

    /// The fitting method, `nil` for raw scores.
    public var method: ProbabilityCalibration.Method? {
        switch self {
        case .temperature: .temperature
        case .platt: .platt
        case .none: nil
        }
    }
}
