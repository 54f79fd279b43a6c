import Foundation
import Layers
import Tensor

/// Module reflection benchmarks: one `parameters` and one `namedParameters()` call on the zoo's
/// two largest trees (ResNet-18: 62 parameters in 68 modules; EfficientNet-Lite0: 149 in 118),
/// in microseconds — the cost every `zeroGradients`, weight-average update and state-dictionary
/// call pays. Each figure is the median over 15 runs of 200 calls of the thread's CPU time
/// (what the calls cost, not how long a shared machine kept the thread waiting), with the wall
/// time beside it.
enum ReflectionBenchmarks {
    static func run() {
        let models: [(String, Module)] = [("resnet18", ResNet.resnet18(inputChannels: 1, classCount: 2, seed: 0)),
                                          ("efficientnet_lite0", EfficientNetLite())]
        for (name, model) in models {
            let parameters = perCall { blackHole(model.parameters) }
            let named = perCall { blackHole(model.namedParameters()) }
            Bench.report("reflection", fields: [
                ("model", name), ("modules", model.modules().count), ("parameters", model.namedParameters().count),
                ("parameters_cpu_us", parameters.cpu * 1e6), ("parameters_wall_us", parameters.wall * 1e6),
                ("named_parameters_cpu_us", named.cpu * 1e6), ("named_parameters_wall_us", named.wall * 1e6),
            ])
        }
    }

    /// Median thread CPU seconds and median wall seconds per call of `body`, over 15 runs of 200
    /// calls after a warm-up run.
    static func perCall(_ body: () -> Void) -> (cpu: Double, wall: Double) {
        let calls = 200
        var cpu: [Double] = [], wall: [Double] = []
        for run in 0...15 {
            let (cpuStart, wallStart) = (threadCPUSeconds(), DispatchTime.now().uptimeNanoseconds)
            for _ in 0..<calls { body() }
            guard run > 0 else { continue }
            cpu.append((threadCPUSeconds() - cpuStart) / Double(calls))
            wall.append(Double(DispatchTime.now().uptimeNanoseconds - wallStart) * 1e-9 / Double(calls))
        }
        return (cpu.sorted()[cpu.count / 2], wall.sorted()[wall.count / 2])
    }

    /// CPU seconds the calling thread has run.
    static func threadCPUSeconds() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) * 1e-9
    }
}
