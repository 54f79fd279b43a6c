import ArgumentParser
import DistributedTraining
import Foundation
import Layers
import PneumoniaKit

/// `pneumonia train`: trains a model and writes a run directory.
struct Train: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Train a pneumonia classifier and write a run directory.",
        discussion: """
            With no options: PneumoniaMNIST 28×28 from $FATHOM_DATA or the cache — downloaded into the cache \
            first, as `pneumonia fetch` does, when it is in neither (unless --no-download) — the compact CNN, about \
            five minutes on two cores. The best model by validation ROC AUC is kept.

            Under `mpirun -np N` the N processes train one model data-parallel: --batch-size is the global \
            batch (a multiple of N), each process computes with cores / (its processes on the machine) threads \
            (FATHOM_THREADS overrides), and rank 0 alone logs and writes the run directory.
            """)

    @Option(help: "An .npz file in the MedMNIST layout, or a folder with train/ (and optionally val/, test/) of NORMAL/ and PNEUMONIA/.")
    var data: String?

    @Option(help: "Output run directory.")
    var out: String = "runs/pneumonia"

    @Option(help: "Continue the run in this directory from its last epoch (its saved options are used; --epochs may raise the total).")
    var resume: String?

    @Option(help: "Architecture: \(ModelZoo.names.joined(separator: ", ")).")
    var model: String?

    @Option(help: "Input side in pixels (default: the data's own size; for folders 28, or 128 with --pretrained).")
    var imageSize: Int?

    @Option(help: "Epochs.") var epochs: Int?
    @Option(help: "Batch size.") var batchSize: Int?
    @Option(help: "adamw, adam or sgd.") var optimizer: OptimizerChoice?
    @Option(help: "Peak learning rate.") var learningRate: Float?
    @Option(help: "Weight decay.") var weightDecay: Float?
    @Option(help: "cosine, onecycle, step or constant.") var schedule: ScheduleChoice?
    @Option(help: "none, light, strong or acquisition (default: light; acquisition for folders).") var augmentation: Augmentation?
    @Option(help: "Gray levels before resizing: none or equalize (histogram equalization).") var intensity: Preprocessing.Intensity?
    @Option(help: "weights, sampler or none.") var classBalance: ClassBalanceChoice?
    @Option(help: "Label smoothing.") var labelSmoothing: Float?
    @Option(help: "Early-stopping patience in epochs (0 = off).") var patience: Int?
    @Option(help: "Stop starting epochs after this many minutes (0 = no limit).") var timeLimit: Double?
    @Option(help: "Decision threshold rule: fixed (0.5), youden, or shifted-youden (on validation under acquisition shifts); default fixed, for folders shifted-youden.") var thresholdRule: ThresholdRule?
    @Option(help: "Probability calibration fitted on validation at the end: temperature, platt or none (default temperature).")
    var calibration: CalibrationChoice?
    @Option(help: "Test-time augmentation: score each image also shifted by this fraction of its side in four directions and average (0 = off; default 0.04).")
    var ttaShift: Double?
    @Option(help: "Seed of every random choice.") var seed: UInt64?
    @Option(help: "Data-loading threads.") var workers: Int?
    @Option(help: ArgumentHelp("Start from ImageNet weights: a .pth or .safetensors file (efficientnet-lite0, or mobilenet-v2 from TF-Lite).",
                               discussion: "Only read now; the run directory holds every weight afterwards."))
    var pretrained: String?
    @Option(help: "With --pretrained: epochs training only the new head, backbone and its batch norm frozen (default 2).")
    var frozenEpochs: Int?
    @Option(help: "With --pretrained: backbone learning rate as a fraction of the head's after unfreezing (default 0.1).")
    var backboneLrScale: Float?
    @Flag(help: "Plain log lines instead of progress bars.") var quiet = false
    @Flag(help: "Never download PneumoniaMNIST: when it is missing, say which file to put where.") var noDownload = false

    func run() async throws {
        let group = try ProcessGroup.world()
        do {
            try await train(group: group)
        } catch where group.isDistributed {
            // The other ranks would wait for this one in their next collective: end them all.
            group.abort("\(error)")
        }
    }

    private func train(group: ProcessGroup) async throws {
        var config = TrainingConfiguration()
        let saved = try resume.map { try RunDirectory(URL(fileURLWithPath: $0)).readMetadata() }
        if let saved { config = saved.configuration }
        if let model { config.model = model }
        if let imageSize { config.imageSize = imageSize }
        if let epochs { config.epochs = epochs }
        if let batchSize { config.batchSize = batchSize }
        if let optimizer { config.optimizer = optimizer }
        if let learningRate { config.learningRate = learningRate }
        if let weightDecay { config.weightDecay = weightDecay }
        if let schedule { config.schedule = schedule }
        if let augmentation { config.augmentation = augmentation }
        if let intensity { config.intensity = intensity }
        if let classBalance { config.classBalance = classBalance }
        if let labelSmoothing { config.labelSmoothing = labelSmoothing }
        if let patience { config.patience = patience }
        if let timeLimit { config.timeLimitMinutes = timeLimit }
        if let thresholdRule { config.thresholdRule = thresholdRule }
        if let calibration { config.calibration = calibration }
        if let ttaShift { config.testTimeShift = ttaShift }
        if let seed { config.seed = seed }
        if let workers { config.workers = workers }
        if let pretrained {
            let url = URL(fileURLWithPath: (pretrained as NSString).expandingTildeInPath)
            guard FileManager.default.fileExists(atPath: url.path) else {
                throw ValidationError("no pretrained weights at \(url.path); see README.md, \"Transfer learning\", for how to get them")
            }
            config.pretrained = url.standardizedFileURL.path
        }
        if let frozenEpochs {
            guard frozenEpochs >= 0 else { throw ValidationError("--frozen-epochs must be 0 or more") }
            config.frozenEpochs = frozenEpochs
        }
        if let backboneLrScale {
            guard backboneLrScale >= 0 else { throw ValidationError("--backbone-lr-scale must be 0 or more") }
            config.backboneLearningRateScale = backboneLrScale
        }
        guard ModelZoo.names.contains(config.model) else {
            throw ValidationError("unknown model '\(config.model)'; choose one of \(ModelZoo.names.joined(separator: ", "))")
        }

        let downloader = noDownload ? nil : Downloader()
        // Rank 0 resolves the data first (downloading it if needed); the others then find it.
        if !group.isLeader { try group.barrier() }
        let data: PneumoniaData
        if let saved, self.data == nil {
            data = try await PneumoniaData.resolve(trainingDataOf: saved, downloader: downloader)
        } else {
            data = try await PneumoniaData.resolve(path: self.data, imageSize: config.imageSize, downloader: downloader,
                                                   validationFraction: config.validationFraction, seed: config.seed)
        }
        if group.isLeader { try group.barrier() }
        if saved == nil, case .folder = data.source {
            var given: Set<TrainingConfiguration.FolderDefault> = []
            if augmentation != nil { given.insert(.augmentation) }
            if thresholdRule != nil { given.insert(.thresholdRule) }
            if imageSize != nil { given.insert(.imageSize) }
            config.applyFolderDefaults(except: given)
        }
        let run = RunDirectory(URL(fileURLWithPath: resume ?? out))
        let trainer = Trainer(configuration: config, data: data, run: run, group: group)
        try trainer.train(resume: resume != nil, showProgress: !quiet)
        guard group.isLeader else { return }
        // The run records the data's name only, so evaluating data given by path needs the path again.
        let evaluateData = self.data.map { " --data \($0)" } ?? ""
        print("""

            Next:
              pneumonia evaluate --model \(run.url.path)\(evaluateData)
              pneumonia predict --model \(run.url.path) IMAGE.jpeg --heatmap heatmap.png
            """)
    }
}
