import DistributedTraining
import Foundation
import Layers
import Optim
import Serialization
import Tensor
import Vision

/// Trains a pneumonia classifier and maintains its run directory.
///
/// Each epoch: one pass over the (augmented, shuffled or class-balanced) training set with a
/// per-step learning-rate schedule; then validation with the run's own ``Classifier``. The
/// weights with the best validation ROC AUC are saved as the run's model; the last epoch's
/// weights and optimizer state are saved for `--resume`; training stops early when validation
/// AUC has not improved for `patience` epochs or the time limit is reached.
///
/// With `pretrained` weights the network starts from them (adapted to one channel and the
/// task's classes, ImageNet normalization) and trains in two phases, head first on a frozen
/// backbone; see `FineTuning`.
///
/// Under `mpirun -np N` (a distributed ``ProcessGroup``) each process trains a replica on its
/// shard of every global batch of `batchSize`, and `DataParallel` keeps the replicas equal;
/// validation is scored in shards and gathered; only rank 0 logs and writes the run.
public final class Trainer {
    /// The configuration (from the command line, or from the run when resuming).
    public private(set) var configuration: TrainingConfiguration
    /// The data.
    public let data: PneumoniaData
    /// Where everything is written.
    public let run: RunDirectory
    /// The processes training together (``ProcessGroup/single`` alone).
    public let group: ProcessGroup
    private let logLine: (String) -> Void

    /// A trainer; `log` receives one line per event (epoch summaries, saved checkpoints) on
    /// rank 0 of `group`.
    public init(configuration: TrainingConfiguration, data: PneumoniaData, run: RunDirectory, group: ProcessGroup = .single,
                log: @escaping (String) -> Void = printFlushed) {
        self.configuration = configuration
        self.data = data
        self.run = run
        self.group = group
        self.logLine = group.isLeader ? log : { _ in }
    }

    /// Trains from scratch, or continues the run in `run` when `resume` is set (its saved
    /// configuration wins; only `epochs` may be raised).
    @discardableResult
    public func train(resume: Bool = false, showProgress: Bool = true) throws -> RunMetadata {
        configuration.dataPath = data.name  // the run records the data's name, never where it lives
        let pretrainedPath = configuration.pretrained
        // Likewise the pretrained file's name only: the served model card shows the configuration.
        configuration.pretrained = pretrainedPath.map { URL(fileURLWithPath: $0).lastPathComponent }
        let config = configuration
        guard config.testTimeShift >= 0 && config.testTimeShift < 0.5 else {
            throw RunError.incompatible("test-time shift \(config.testTimeShift) must be at least 0 and below 0.5 (a fraction of the image side)")
        }
        if group.isLeader { try run.create() }
        // A resumed run keeps its architecture and preprocessing, and needs no pretrained file:
        // its own checkpoints hold every weight.
        let saved = resume ? try run.readMetadata() : nil
        var pretrained: PretrainedModel?
        if saved == nil, let path = pretrainedPath {
            pretrained = try FineTuning.pretrainedModel(config.model, weights: path, inputChannels: 1,
                                                        classCount: data.classes.count, seed: config.seed, log: logLine)
        }
        let architecture = saved?.architecture ?? pretrained?.architecture.name ?? config.model
        let preprocessing = try saved?.preprocessing ?? makePreprocessing(pretrained: pretrained?.architecture)
        let augmentation = config.augmentation.transform(imageSize: preprocessing.imageSize)
        let model: Module
        if let pretrained {
            model = pretrained.model
        } else {
            model = try ModelZoo.make(architecture, inputChannels: preprocessing.channels, classCount: data.classes.count,
                                      seed: config.seed)
        }
        let fineTuning = FineTuning(model: model, configuration: config)
        let trainLabels = try data.train.allLabels()
        let counts = (0..<data.classes.count).map { c in trainLabels.filter { $0 == c }.count }
        let loader = DataLoader(
            dataset: data.train, batchSize: try DataParallel.localBatchSize(global: config.batchSize, group: group),
            shuffle: config.classBalance != .sampler,
            sampler: config.classBalance == .sampler ? .classBalanced(labels: trainLabels) : nil,
            seed: config.seed, dropLast: data.train.count > config.batchSize, shard: group.trainingShard,
            transform: preprocessing.transform(augmentedBy: augmentation),
            workerCount: config.workers)
        let classWeights: Tensor? = config.classBalance == .weights
            ? Tensor(counts.map { Float(trainLabels.count) / Float(counts.count * max($0, 1)) }) : nil

        let optimizer = try makeOptimizer(model)
        let average = config.weightAverageDecay > 0 ? WeightAverage(model, decay: config.weightAverageDecay) : nil
        let stepsPerEpoch = loader.batchCount
        let schedule = try makeSchedule(totalSteps: stepsPerEpoch * config.epochs, stepsPerEpoch: stepsPerEpoch)

        var records: [EpochRecord] = []
        var metadata = RunMetadata(
            architecture: architecture, classes: data.classes, preprocessing: preprocessing, threshold: 0.5,
            thresholdRule: config.thresholdRule.summary,
            validation: [:], bestEpoch: 0, epochsCompleted: 0, seed: config.seed, dataFingerprint: data.fingerprint,
            dataDescription: data.description, configuration: config, trainingSeconds: 0,
            created: ISO8601DateFormatter().string(from: Date()))
        metadata.testTimeAugmentation = config.testTimeShift > 0 ? TestTimeAugmentation(shift: config.testTimeShift) : nil
        if let saved {
            guard saved.dataFingerprint == data.fingerprint else {
                throw RunError.incompatible("cannot resume: the run was trained on \(saved.dataFingerprint), this data is \(data.fingerprint)")
            }
            metadata = saved
            // Until training ends and the calibration is refitted, the run is on the raw scale.
            if let calibration = saved.calibration {
                metadata.threshold = calibration.uncalibrate(saved.threshold)
                metadata.calibration = nil
            }
            metadata.configuration.epochs = config.epochs
            metadata.configuration.dataPath = data.name  // runs written before names were recorded held paths
            metadata.dataDescription = data.description
            try model.load(from: run.lastModel, strict: true)
            try optimizer.loadState(from: run.optimizerState)
            if let average, FileManager.default.fileExists(atPath: run.weightAverage.path) {
                average.restore(try SafeTensors.read(from: run.weightAverage).tensors)
            }
            records = EpochRecord.read(run.metricsFile).filter { $0.epoch <= saved.epochsCompleted }
            logLine("resuming \(run.url.path) after epoch \(saved.epochsCompleted) (best so far: epoch \(saved.bestEpoch), "
                + String(format: "validation AUC %.4f)", saved.validation["auc"] ?? .nan))
        } else {
            logLine("training \(architecture)\(pretrained == nil ? "" : " from pretrained weights") on \(data.description)")
            logLine("  \(data.train.count) training images (\(zip(data.classes, counts).map { "\($0) \($1)" }.joined(separator: ", "))), "
                + "\(data.validation.count) validation; input \(preprocessing.channels)×\(preprocessing.imageSize)×\(preprocessing.imageSize); "
                + "\(model.parameterCount) parameters")
        }

        let parallel = DataParallel(model: model, group: group)
        try parallel.broadcastState()
        let fusedModel = FusedModel(model)  // batch norm + ReLU as one op: less kept for backward
        if group.isDistributed {
            logLine("data-parallel on \(group.size) processes: \(config.batchSize / group.size) images each per step, "
                + "\(Parallel.coreCount) compute thread\(Parallel.coreCount == 1 ? "" : "s") per process")
        }

        let start = Date()
        let previousSeconds = metadata.trainingSeconds
        var bestAUC = metadata.validation["auc"] ?? -1
        var sinceBest = records.count - metadata.bestEpoch
        for epoch in metadata.epochsCompleted..<config.epochs {
            if try group.leaderDecides(config.timeLimitMinutes > 0 && Date().timeIntervalSince(start) > config.timeLimitMinutes * 60) {
                logLine("time limit of \(config.timeLimitMinutes) min reached; stopping")
                break
            }
            let epochStart = Date()
            model.train()
            if let note = fineTuning?.enterPhase(epoch: epoch) { logLine(note) }
            let bar = showProgress && group.isLeader ? ProgressBar(title: "epoch \(epoch + 1)/\(config.epochs)", total: Double(stepsPerEpoch)) : nil
            var lossSum = 0.0, correct = 0, seen = 0, step = 0
            try loader.forEachBatch(epoch: epoch) { batch in
                optimizer.learningRate = schedule(optimizer.stepCount)
                let logits = fusedModel(batch.images)
                let loss = crossEntropy(logits: logits, labels: batch.labels, classWeights: classWeights,
                                        labelSmoothing: config.labelSmoothing)
                loss.backward()
                try parallel.averageGradients()
                optimizer.step()
                optimizer.zeroGradients()
                average?.update(from: model, step: optimizer.stepCount)
                let predictions = logits.detached().argmax(alongAxis: 1).scalars.map { Int($0) }
                correct += zip(predictions, batch.labels).filter { $0 == $1 }.count
                lossSum += Double(loss.scalar) * Double(batch.count)
                seen += batch.count
                step += 1
                let rate = Double(seen * group.size) / Date().timeIntervalSince(epochStart)
                bar?.update(Double(step), status: String(format: "loss %.4f  acc %.3f  %.0f img/s",
                                                         lossSum / Double(seen), Double(correct) / Double(seen), rate))
            }
            try parallel.averageBuffers()
            (lossSum, correct, seen) = try group.epochTotals(lossSum: lossSum, correct: correct, seen: seen)
            let trainSeconds = Date().timeIntervalSince(epochStart)
            bar?.finish(String(format: "loss %.4f  acc %.3f  %.0f img/s", lossSum / Double(max(seen, 1)),
                               Double(correct) / Double(max(seen, 1)), Double(seen) / trainSeconds))

            // Validation, through the same code path as `pneumonia evaluate`.
            metadata.preprocessing = preprocessing
            let scored = try average?.averagedModel(like: (architecture, preprocessing.channels, data.classes.count)) ?? model
            let classifier = Classifier(model: scored, metadata: metadata)
            let (labels, probabilities) = try group.predictAll(classifier, data.validation, workers: config.workers)
            let report = EvaluationReport(labels: labels, scores: probabilities, threshold: 0.5)
            let validationLoss = Calibration.logLoss(labels: labels, probabilities: probabilities)
            let record = EpochRecord(
                epoch: epoch + 1, trainLoss: lossSum / Double(max(seen, 1)), trainAccuracy: Double(correct) / Double(max(seen, 1)),
                validationLoss: validationLoss, validationAccuracy: report.accuracy, validationAUC: report.auc,
                validationSensitivity: report.recall, validationSpecificity: report.specificity,
                learningRate: Double(optimizer.learningRate), seconds: Date().timeIntervalSince(epochStart),
                imagesPerSecond: Double(seen) / trainSeconds)
            records.append(record)
            metadata.epochsCompleted = epoch + 1
            metadata.trainingSeconds = previousSeconds + Date().timeIntervalSince(start)

            var note = ""
            if report.auc > bestAUC || metadata.bestEpoch == 0 {
                bestAUC = report.auc
                sinceBest = 0
                metadata.bestEpoch = epoch + 1
                metadata.threshold = config.thresholdRule == .fixed ? 0.5 : Self.youdenThreshold(labels, probabilities)
                let atThreshold = EvaluationReport(labels: labels, scores: probabilities, threshold: metadata.threshold)
                metadata.validation = ["auc": report.auc, "accuracy": atThreshold.accuracy, "sensitivity": atThreshold.recall,
                                       "specificity": atThreshold.specificity, "f1": atThreshold.f1, "loss": validationLoss,
                                       "n": Double(labels.count)]
                if group.isLeader { try run.save(scored, metadata: metadata, to: run.bestModel) }
                note = "  ★ saved"
            } else {
                sinceBest += 1
            }
            if group.isLeader {
                try run.save(model, metadata: metadata, to: run.lastModel)
                try optimizer.saveState(to: run.optimizerState)
                if let average { try SafeTensors.write(average.averages, to: run.weightAverage) }
                try run.writeMetadata(metadata)
                try EpochRecord.write(records, to: run.metricsFile)
                try EpochRecord.curves(records).writePNG(to: run.curvesImage)
            }
            logLine(String(format: "epoch %d: train loss %.4f acc %.3f | val loss %.4f acc %.3f AUC %.4f sens %.3f spec %.3f | %.0f s%@",
                       epoch + 1, record.trainLoss, record.trainAccuracy, validationLoss, report.accuracy, report.auc,
                       report.recall, report.specificity, record.seconds, note))
            if config.patience > 0, sinceBest >= config.patience {
                logLine("no validation improvement for \(config.patience) epochs; stopping early")
                break
            }
        }
        if metadata.bestEpoch > 0 && group.isLeader {
            metadata = try RunCalibration(run: run, validation: data.validation, method: config.calibration.method,
                                          thresholdRule: config.thresholdRule, workers: config.workers, log: logLine).apply()
        }
        logLine(String(format: "best epoch %d: validation AUC %.4f; model in %@", metadata.bestEpoch,
                   metadata.validation["auc"] ?? .nan, run.bestModel.path))
        return metadata
    }

    /// The input preparation: size from the configuration or the data, one gray channel,
    /// geometry from the source, and normalization either fixed by the `pretrained` network
    /// (its ImageNet convention) or measured on up to 512 training images.
    func makePreprocessing(pretrained: PretrainedArchitecture? = nil) throws -> Preprocessing {
        let size = configuration.imageSize ?? data.nativeImageSize ?? 128
        let geometry: Preprocessing.Geometry = { if case .npz = data.source { return .centerCropSquare } else { return .stretch } }()
        let intensity = configuration.intensity
        if let pretrained { return .pretrained(pretrained, imageSize: size, geometry: geometry, intensity: intensity) }
        var probe = Preprocessing(imageSize: size, channels: 1, geometry: geometry, mean: [0], standardDeviation: [1],
                                  normalization: .trainingImages, intensity: intensity)
        let count = min(512, data.train.count)
        let stride = max(1, data.train.count / max(count, 1))
        var sum = 0.0, sumSquares = 0.0, n = 0.0
        var generator = RandomGenerator(seed: 0)
        for i in Swift.stride(from: 0, to: data.train.count, by: stride).prefix(count) {
            let x = probe.transform(try data.train.sample(at: i).image, generator: &generator)
            x.withUnsafeBufferPointer { p in for v in p { sum += Double(v); sumSquares += Double(v) * Double(v) } }
            n += Double(x.scalarCount)
        }
        let mean = sum / max(n, 1)
        let std = max(1e-3, (sumSquares / max(n, 1) - mean * mean).squareRoot())
        probe.mean = [Float(mean)]
        probe.standardDeviation = [Float(std)]
        return probe
    }

    /// The configured optimizer over `model`: one group of its trainable parameters, or, when
    /// fine-tuning pretrained weights, the head (group 0) at the learning rate and the whole
    /// backbone (group 1, frozen or not) at `backboneLearningRateScale` times it.
    public func makeOptimizer(_ model: Module) throws -> Optimizer {
        let c = configuration
        let groups = FineTuning(model: model, configuration: c)?
            .parameterGroups(learningRate: c.learningRate, backboneScale: c.backboneLearningRateScale)
            ?? [ParameterGroup(parameters: model.parameters)]
        switch c.optimizer {
        case .adamw: return AdamW(groups: groups, learningRate: c.learningRate, weightDecay: c.weightDecay)
        case .adam: return Adam(groups: groups, learningRate: c.learningRate, weightDecay: c.weightDecay)
        case .sgd: return SGD(groups: groups, learningRate: c.learningRate, momentum: 0.9, weightDecay: c.weightDecay, nesterov: true)
        }
    }

    func makeSchedule(totalSteps: Int, stepsPerEpoch: Int) throws -> any LearningRateSchedule {
        let c = configuration
        let warmup = c.warmupEpochs * stepsPerEpoch
        switch c.schedule {
        case .cosine:
            return LinearWarmup(steps: warmup, startFactor: 0.1,
                                then: CosineAnnealing(base: c.learningRate, steps: max(1, totalSteps - warmup), minimum: c.learningRate * 0.01))
        case .onecycle: return OneCycle(maximum: c.learningRate, totalSteps: max(1, totalSteps))
        case .step: return LinearWarmup(steps: warmup, startFactor: 0.1,
                                         then: StepDecay(base: c.learningRate, stepSize: max(1, totalSteps / 3), gamma: 0.1))
        case .constant: return LinearWarmup(steps: warmup, startFactor: 0.1, then: ConstantSchedule(c.learningRate))
        }
    }

    /// The threshold maximizing sensitivity + specificity (Youden's J) on the given data.
    static func youdenThreshold(_ labels: [Int], _ probabilities: [Float]) -> Float {
        guard let curve = try? RankingMetrics.rocCurve(labels: labels, scores: probabilities) else { return 0.5 }
        let best = curve.dropFirst().max { ($0.tpr - $0.fpr) < ($1.tpr - $1.fpr) }
        return best.map { $0.threshold } ?? 0.5
    }
}
