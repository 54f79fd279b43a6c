import ArgumentParser
import DistributedTraining
import Foundation
import Layers
import PneumoniaKit

/// `pneumonia train`: trains a model and writes a run directory.
public struct Train: AsyncParsableCommand {
    /// The command's help and name.
    public static let configuration = CommandConfiguration(
        abstract: "Train a pneumonia classifier and write a run directory.",
        discussion: """
            With no options: PneumoniaMNIST 28×28 from $FATHOM_DATA or the cache — downloaded into the cache \
            first, as `pneumonia fetch` does, when it is in neither (unless --no-download) — the compact CNN, about \
            five minutes on two cores. The best model by validation ROC AUC is kept.

            Under `mpirun -np N` the N processes train one model data-parallel: --batch-size is the global \
            batch (a multiple of N), each process computes with cores / (its processes on the machine) threads \
            (FATHOM_THREADS overrides), and rank 0 alone logs and writes the run directory.
            """)

    /// The command with its defaults (ArgumentParser fills in what is given).
    public init() {}

    @Option(help: "An .npz file in the MedMNIST layout, or a folder with train/ (and optionally val/, test/) of NORMAL/ and PNEUMONIA/.")
    var data: String?

    @Option(help: "Output run directory.")
    var out: String = "runs/pneumonia"

    @Option(help: "Continue the run in this directory from its last epoch (its saved options are used; --epochs may raise the total).")
    var resume: String?

    @OptionGroup var network: ModelOptions
    @OptionGroup var optimization: OptimizationOptions
    @OptionGroup var images: ImageOptions
    @OptionGroup var decision: DecisionOptions

    @Flag(help: "Plain log lines instead of progress bars.") var quiet = false
    @Flag(help: "Never download PneumoniaMNIST: when it is missing, say which file to put where.") var noDownload = false

    /// `base` with every training choice given on the command line laid over it.
    public func configuration(over base: TrainingConfiguration) throws -> TrainingConfiguration {
        let given: [any Encodable] = [network, optimization, images, decision]
        return try given.reduce(base) { try $0.overlaid(with: $1) }
    }

    /// Runs the command.
    public func run() async throws {
        let group = try ProcessGroup.world()
        do {
            try await train(group: group)
        } catch where group.isDistributed {
            // The other ranks would wait for this one in their next collective: end them all.
            group.abort("\(error)")
        }
    }

    private func train(group: ProcessGroup) async throws {
        let saved = try resume.map { try RunDirectory(URL(fileURLWithPath: $0)).readMetadata() }
        var config = try configuration(over: saved?.configuration ?? TrainingConfiguration())
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
            // The image-folder recipe, then the options given again: those given explicitly win.
            config.applyFolderDefaults()
            config = try configuration(over: config)
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
