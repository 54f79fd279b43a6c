import ArgumentParser
import PneumoniaKit

/// How `train` fits the weights: length, batches, optimizer and schedule, class balance, loss,
/// stopping, seed and loading threads. Each property is the training-configuration choice of
/// the same name; `nil` keeps the default, or the resumed run's value.
struct OptimizationOptions: ParsableArguments, Encodable {
    @Option(help: "Epochs.") var epochs: Int?
    @Option(help: "Batch size.") var batchSize: Int?
    @Option(help: "adamw, adam or sgd.") var optimizer: OptimizerChoice?
    @Option(help: "Peak learning rate.") var learningRate: Float?
    @Option(help: "Weight decay.") var weightDecay: Float?
    @Option(help: "cosine, onecycle, step or constant.") var schedule: ScheduleChoice?
    @Option(help: "weights, sampler or none.") var classBalance: ClassBalanceChoice?
    @Option(help: "Label smoothing.") var labelSmoothing: Float?
    @Option(help: "Early-stopping patience in epochs (0 = off).") var patience: Int?
    @Option(name: .customLong("time-limit"), help: "Stop starting epochs after this many minutes (0 = no limit).")
    var timeLimitMinutes: Double?
    @Option(help: "Seed of every random choice.") var seed: UInt64?
    @Option(help: "Data-loading threads.") var workers: Int?
}
