import DistributedTraining
import Foundation
import Layers
import Optim
import Tensor

/// Data-parallel training steps, alone or under `mpirun` (see `Benchmarks/distributed/run.sh`):
/// the global batch of 32 split among the ranks, forward, backward, the gradient all-reduce
/// (`DataParallel`, rank order) and an SGD step. Rank 0 reports the median step time as
/// images/s of the global batch, and the median all-reduce time inside it.
///
///   FATHOM_THREADS=2 fathom-bench distributed                       # 1 process × 2 threads
///   mpirun -np 2 --bind-to core fathom-bench distributed            # 2 processes × 1 thread
///   fathom-bench distributed allreduce                              # all-reduce alone, by size and order
enum DistributedBenchmarks {
    static let globalBatch = 32

    static func run(_ names: [String]) {
        let group = BenchmarkData.must { try ProcessGroup.world() }
        let workloads: [(String, () -> Module, Int, Int)] = [
            ("cnn128_train", CompareBenchmarks.compactCNN, 128, 10),
            ("resnet18_128_train", CompareBenchmarks.resnet18, 128, 6),
        ]
        if names == ["allreduce"] {
            allReduce(group)
            return
        }
        for (name, make, size, steps) in workloads where names.isEmpty || names.contains(name) {
            training(name, group: group, make: make, size: size, steps: steps)
        }
    }

    static func training(_ name: String, group: ProcessGroup, make: () -> Module, size: Int, steps: Int) {
        let local = BenchmarkData.must { try DataParallel.localBatchSize(global: globalBatch, group: group) }
        let model = make()
        model.train()
        let parallel = DataParallel(model: model, group: group)
        let optimizer = SGD(parameters: model.parameters, learningRate: 0.01, momentum: 0.9)
        var generator = RandomGenerator(seed: 21 + UInt64(group.rank))
        let images = Tensor.normal([local, 1, size, size], generator: &generator)
        let labels = (0..<local).map { $0 % 2 }
        var stepTimes: [Double] = [], reduceTimes: [Double] = []
        let fused = FusedModel(model)
        BenchmarkData.must {
            try parallel.broadcastState()
            for step in 0..<(2 + steps) {
                try group.barrier()  // every rank starts the step together
                let start = Date()
                let loss = crossEntropy(logits: fused(images), labels: labels)
                loss.backward()
                let reduceStart = Date()
                try parallel.averageGradients()
                let reduceSeconds = Date().timeIntervalSince(reduceStart)
                optimizer.step()
                optimizer.zeroGradients()
                if step >= 2 {
                    stepTimes.append(Date().timeIntervalSince(start))
                    reduceTimes.append(reduceSeconds)
                }
            }
        }
        guard group.isLeader else { return }
        let median = Bench.median(stepTimes)
        Bench.report(name, ["processes": group.size, "threads": Parallel.coreCount, "global_batch": globalBatch,
                            "median_ms": median * 1e3, "img_s": Double(globalBatch) / median,
                            "allreduce_ms": Bench.median(reduceTimes) * 1e3,
                            "allreduce_mib": Double(model.parameters.reduce(0) { $0 + Shape.count(of: $1.shape) } * 4) / 1_048_576])
    }

    /// The all-reduce alone: ResNet-18's and the compact CNN's gradient sizes, in rank order
    /// and by `MPI_Allreduce`.
    static func allReduce(_ group: ProcessGroup) {
        for count in [65_314, 11_171_266] {
            for order in [ReductionOrder.rankOrder, .library] {
                var buffer = [Float](repeating: Float(group.rank), count: count)
                var times: [Double] = []
                BenchmarkData.must {
                    for round in 0..<7 {
                        try group.barrier()
                        let start = Date()
                        try group.allReduce(&buffer, .mean, order: order)
                        if round >= 2 { times.append(Date().timeIntervalSince(start)) }
                    }
                }
                if group.isLeader {
                    Bench.report("allreduce", ["processes": group.size, "floats": count, "order": "\(order)",
                                               "median_ms": Bench.median(times) * 1e3])
                }
            }
        }
    }
}
