import DistributedTraining
import Foundation
import Layers
import Optim
import Serialization
import Tensor
import Vision

/// A few SGD steps of the compact CNN on PneumoniaMNIST, data-parallel over the group, with a
/// global batch: one process and `p` processes take the same samples and augmentations at
/// every step, so their weights must agree to float round-off.
///
/// Batch norm uses its running statistics (eval mode: a per-sample affine map) and dropout
/// is off, so that no layer couples the samples of a batch; rank 0 writes the final state
/// dictionary as safetensors.
struct EquivalenceTraining {
    let group: ProcessGroup
    let data: URL
    let output: URL
    var steps = 20
    var batchSize = 32
    var seed: UInt64 = 7
    var learningRate: Float = 0.01

    init(arguments: [String], group: ProcessGroup) throws {
        guard arguments.count >= 2 else { throw DistributedError.invalidArgument("train needs DATA.npz and OUT.safetensors") }
        self.group = group
        data = URL(fileURLWithPath: arguments[0])
        output = URL(fileURLWithPath: arguments[1])
        var options = arguments.dropFirst(2).makeIterator()
        while let option = options.next() {
            guard let text = options.next(), let value = Int(text) ?? (option == "--learning-rate" ? 0 : nil) else {
                throw DistributedError.invalidArgument("\(option) needs a number")
            }
            switch option {
            case "--learning-rate": learningRate = Float(text) ?? .nan
            case "--steps": steps = value
            case "--batch-size": batchSize = value
            case "--seed": seed = UInt64(value)
            default: throw DistributedError.invalidArgument("unknown option \(option)")
            }
        }
    }

    func run() throws {
        let localBatch = try DataParallel.localBatchSize(global: batchSize, group: group)
        let dataset = try MedMNISTDataset(contentsOf: data, split: .train)
        let augmentation = Compose {
            RandomAffine(degrees: -10...10, translate: (0.05, 0.05))
            RandomHorizontalFlip()
        }
        let loader = DataLoader(dataset: dataset, batchSize: localBatch, shuffle: true, seed: seed, dropLast: true,
                                shard: DistributedSampler(rank: group.rank, rankCount: group.size),
                                transform: augmentation, workerCount: 1)
        let model = CompactCNN(inputChannels: 1, classCount: 2, dropout: 0, seed: seed + UInt64(group.rank))
        model.train()
        for module in model.modules() where module is BatchNorm { module.eval() }
        let parallel = DataParallel(model: model, group: group)
        try parallel.broadcastState()  // the ranks were initialized differently on purpose
        let optimizer = SGD(parameters: model.parameters, learningRate: learningRate, momentum: 0.9)
        var batches = loader.batches(epoch: 0)
        var step = 0, lastLoss: Float = .nan
        while step < steps, let batch = try batches.next() {
            let loss = crossEntropy(logits: model(batch.images), labels: batch.labels)
            loss.backward()
            try parallel.averageGradients()
            optimizer.step()
            optimizer.zeroGradients()
            lastLoss = loss.scalar
            step += 1
        }
        try parallel.averageBuffers()
        if group.isLeader { try SafeTensors.write(model.stateDictionary(), to: output) }
        print(String(format: "rank %d of %d: %d steps, local batch %d, last local loss %.5f", group.rank, group.size, step,
                     localBatch, lastLoss))
    }
}
