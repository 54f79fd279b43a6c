import FathomTestSupport
import Foundation
import Layers
import Optim
import PneumoniaKit
import Serialization
import Tensor
import Testing
import Vision

/// Fine-tuning ImageNet backbones through the real pipeline on small real subsets: the frozen
/// phase leaves the backbone and its batch-norm statistics bit-identical while the head
/// learns, unfreezing moves the backbone, and evaluate/predict/Grad-CAM take the run directory
/// as it is — without the pretrained file, which is deleted after training.
@Suite(.serialized) struct TransferLearningTests {
    /// The pretrained file at `relativePath`, copied to `directory` (so the test can delete it).
    static func copyOfPretrained(_ relativePath: String, into directory: URL) throws -> URL {
        let source = try SharedData.pretrainedFile(relativePath)
        let copy = directory.appendingPathComponent(source.lastPathComponent)
        try FileManager.default.copyItem(at: source, to: copy)
        return copy
    }

    /// Whether two tensors hold the same bits (a Bool, so that a failure prints no arrays).
    static func identical(_ a: Tensor?, _ b: Tensor?) -> Bool {
        a?.shape == b?.shape && a?.scalars == b?.scalars
    }

    /// What `Trainer` starts from: the pretrained network adapted to 1 channel and 2 classes.
    static func adaptedReference(_ model: String, weights: URL, seed: UInt64) throws -> [String: Tensor] {
        let pretrained = try PretrainedModel(model, weights: weights, seed: seed)
        pretrained.model.adapt(inputChannels: 1, classCount: 2, seed: seed)
        return pretrained.model.stateDictionary()
    }

    @Test func efficientNetFineTunesInTwoPhasesOnNPZ() throws {
        let npz = try PipelineEndToEndTests.makeSubset(train: 64, validation: 32, test: 32)
        let directory = npz.deletingLastPathComponent()
        let weights = try Self.copyOfPretrained("efficientnet_lite0/efficientnet-lite0-57934424.pth", into: directory)
        let data = try PneumoniaData(source: .npz(npz))
        let run = RunDirectory(directory.appendingPathComponent("run"))
        var config = TrainingConfiguration()
        config.model = "efficientnet-lite0"
        config.pretrained = weights.path
        config.imageSize = 64
        config.epochs = 1
        config.frozenEpochs = 1
        config.batchSize = 32
        config.seed = 11
        config.dataPath = npz.path
        var lines: [String] = []
        let metadata = try Trainer(configuration: config, data: data, run: run) { lines.append($0) }.train(showProgress: false)
        let reference = try Self.adaptedReference("efficientnet-lite0", weights: weights, seed: config.seed)
        let isHead = { (name: String) in name.hasPrefix("_fc.") }

        // The run records the architecture and the ImageNet normalization, one gray channel.
        #expect(metadata.architecture == "efficientnet-lite0")
        #expect(metadata.preprocessing.channels == 1 && metadata.preprocessing.imageSize == 64)
        #expect(metadata.preprocessing.normalization == .pretrained(architecture: "efficientnet-lite0", pixelOffset: 127, pixelScale: 128))
        #expect(abs(metadata.preprocessing.mean[0] * 255 - 127) < 1e-4 && abs(metadata.preprocessing.standardDeviation[0] * 255 - 128) < 1e-4)
        #expect(lines.contains { $0.contains("head only") })
        #expect(metadata.configuration.pretrained == "efficientnet-lite0-57934424.pth", "the file's name only, never where it lives")

        // Frozen phase: backbone weights and running statistics bit-identical in the raw and in
        // the averaged weights; the head has learned.
        let last = try SafeTensors.read(from: run.lastModel).tensors
        let best = try SafeTensors.read(from: run.bestModel).tensors
        #expect(last.keys.sorted() == reference.keys.sorted())
        for (name, value) in reference where !isHead(name) {
            #expect(Self.identical(last[name], value), "\(name) moved while frozen")
            #expect(Self.identical(best[name], value), "averaged \(name) moved while frozen")
        }
        #expect(!Self.identical(reference["_bn0.running_var"], Tensor.ones([32])))  // really the ImageNet statistics
        #expect(!Self.identical(last["_fc.weight"], reference["_fc.weight"]))
        #expect(!Self.identical(last["_fc.bias"], reference["_fc.bias"]))

        // The pretrained file is not needed any more.
        try FileManager.default.removeItem(at: weights)

        // Unfrozen (resumed for a second epoch): the backbone moves, statistics included.
        config.epochs = 2
        let resumed = try Trainer(configuration: config, data: data, run: run) { lines.append($0) }
            .train(resume: true, showProgress: false)
        #expect(resumed.epochsCompleted == 2)
        #expect(lines.contains { $0.contains("backbone unfrozen") })
        let unfrozen = try SafeTensors.read(from: run.lastModel).tensors
        for name in ["_conv_stem.weight", "_blocks.5._depthwise_conv.weight", "_conv_head.weight", "_bn1.running_mean"] {
            #expect(!Self.identical(unfrozen[name], reference[name]), "\(name) did not move after unfreezing")
        }

        // Evaluate and predict rebuild the network from the metadata alone.
        let classifier = try Classifier(run: run)
        let evaluation = try Evaluation(classifier: classifier, dataset: data.validation, workers: 1)
        #expect(evaluation.atThreshold.n == 32)
        #expect(evaluation.atThreshold.auc == resumed.validation["auc"])
        let sample = try data.validation.sample(at: 3)
        #expect(abs(classifier.probability(of: Image(tensor: sample.image)) - evaluation.probabilities[3]) < 1e-5)
        let overlay = try GradCAM(classifier: classifier).overlay(for: Image(tensor: sample.image), displaySize: 64)
        #expect(overlay.width == 64 && overlay.height == 64)
    }

    @Test func mobileNetV2FromTensorFlowLiteTrainsOnAnImageFolder() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("fathom-transfer-\(UUID().uuidString)")
        let source = try SharedData.dataFolder("chest_xray_224/train")
        for (split, range) in [("train", 0..<12), ("val", 12..<18)] {
            for label in ["NORMAL", "PNEUMONIA"] {
                let files = try FileManager.default.contentsOfDirectory(atPath: source.appendingPathComponent(label).path).sorted()
                try #require(files.count >= 18, "the Kermany folder is missing at \(source.path); set FATHOM_DATA or run Scripts/fetch-test-data")
                let target = directory.appendingPathComponent("\(split)/\(label)")
                try FileManager.default.createDirectory(at: target, withIntermediateDirectories: true)
                for file in files[range] {
                    try FileManager.default.createSymbolicLink(at: target.appendingPathComponent(file),
                                                               withDestinationURL: source.appendingPathComponent("\(label)/\(file)"))
                }
            }
        }
        let weights = try Self.copyOfPretrained("mobilenet_v2/mobilenet_v2_1.0_224_dequant.safetensors", into: directory)
        let data = try PneumoniaData(source: .folder(directory))
        let run = RunDirectory(directory.appendingPathComponent("run"))
        var config = TrainingConfiguration()
        config.model = "mobilenet-v2"
        config.pretrained = weights.path
        config.imageSize = 64
        config.epochs = 1
        config.batchSize = 8
        config.seed = 5
        let metadata = try Trainer(configuration: config, data: data, run: run) { _ in }.train(showProgress: false)
        #expect(config.frozenEpochCount == 2)
        #expect(metadata.architecture == "mobilenet-v2-tflite")  // resolved from the file's layout
        #expect(metadata.preprocessing.geometry == .stretch)
        #expect(metadata.preprocessing.normalization == .pretrained(architecture: "mobilenet-v2-tflite", pixelOffset: 128, pixelScale: 128))

        let reference = try Self.adaptedReference("mobilenet-v2", weights: weights, seed: config.seed)
        let last = try SafeTensors.read(from: run.lastModel).tensors
        for (name, value) in reference where !name.hasPrefix("classifier.") {
            #expect(Self.identical(last[name], value), "\(name) moved while frozen")
        }
        #expect(!Self.identical(last["classifier.1.weight"], reference["classifier.1.weight"]))
        try FileManager.default.removeItem(at: weights)

        let classifier = try Classifier(run: run)
        let xray = try Image(contentsOf: source.appendingPathComponent("NORMAL").appendingPathComponent(
            try FileManager.default.contentsOfDirectory(atPath: source.appendingPathComponent("NORMAL").path).sorted()[20]))
        let p = classifier.probability(of: xray)
        #expect(p >= 0 && p <= 1)
        #expect(try GradCAM(classifier: classifier).heatMap(for: xray).map.shape.count == 2)
    }

    @Test func optimizerGroupsKeepTheBackboneAtTheConfiguredScale() throws {
        let npz = try PipelineEndToEndTests.makeSubset(train: 8, validation: 8, test: 8)
        var config = TrainingConfiguration()
        config.model = "efficientnet-lite0"
        config.pretrained = "/unused/by/makeOptimizer.pth"
        config.learningRate = 2e-3
        config.backboneLearningRateScale = 0.25
        let trainer = Trainer(configuration: config, data: try PneumoniaData(source: .npz(npz)),
                              run: RunDirectory(npz.deletingLastPathComponent().appendingPathComponent("run")))
        let model = try ModelZoo.make("efficientnet-lite0", inputChannels: 1, classCount: 2)
        let optimizer = try trainer.makeOptimizer(model)
        #expect(optimizer.groupCount == 2)
        #expect(try #require(optimizer as? AdamW).parameters(ofGroup: 0).count == 2)  // _fc.weight, _fc.bias
        #expect(try #require(optimizer as? AdamW).parameters(ofGroup: 1).count == model.namedParameters().count - 2)
        for rate: Float in [2e-3, 7e-4, 1e-5] {  // as a schedule would set it
            optimizer.learningRate = rate
            #expect(optimizer.learningRate(ofGroup: 0) == rate)
            #expect(abs(optimizer.learningRate(ofGroup: 1) / optimizer.learningRate(ofGroup: 0) - 0.25) < 1e-6)
        }

        // Without pretrained weights: one group, every parameter at the same rate.
        config.pretrained = nil
        let plain = try Trainer(configuration: config, data: trainer.data, run: trainer.run).makeOptimizer(model)
        #expect(plain.groupCount == 1)
    }

    @Test func weightsThatFitNoRecipeAreRefusedClearly() throws {
        let npz = try PipelineEndToEndTests.makeSubset(train: 8, validation: 8, test: 8)
        var config = TrainingConfiguration()
        config.model = "mobilenet-v2"  // with EfficientNet's PyTorch weights
        config.pretrained = SharedData.pretrainedDirectory
            .appendingPathComponent("efficientnet_lite0/efficientnet_lite0.safetensors").path
        let trainer = Trainer(configuration: config, data: try PneumoniaData(source: .npz(npz)),
                              run: RunDirectory(npz.deletingLastPathComponent().appendingPathComponent("run")))
        let error = #expect(throws: PretrainedWeightsError.self) { try trainer.train(showProgress: false) }
        #expect(error.map { "\($0)" }?.contains("mobilenet-v2") == true)
    }

    @Test func fineTuningOptionsDecodeWithDefaults() throws {
        let old = try JSONDecoder().decode(TrainingConfiguration.self, from: Data(#"{"model": "efficientnet-lite0"}"#.utf8))
        #expect(old.frozenEpochs == nil && old.backboneLearningRateScale == 0.1 && old.frozenEpochCount == 0)
        var config = old
        config.pretrained = "weights.pth"
        #expect(config.frozenEpochCount == 2)
        config.frozenEpochs = 0
        #expect(config.frozenEpochCount == 0)
        #expect(try JSONDecoder().decode(TrainingConfiguration.self, from: JSONEncoder().encode(config)) == config)
    }
}
