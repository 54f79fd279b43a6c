// fathom-bench: prints `bench=NAME key=value …` lines. Run in release:
//   swift run -c release fathom-bench [suite …]   (suites: tensor, layers, optim, vision, pipeline; default: all)
import Foundation

let suites: [String: () -> Void] = [
    "tensor": TensorBenchmarks.run,
    "layers": LayersBenchmarks.run,
    "optim": OptimBenchmarks.run,
    "vision": VisionBenchmarks.run,
    "pipeline": PipelineBenchmarks.run,
]
let requested = CommandLine.arguments.dropFirst()
for name in requested.isEmpty ? suites.keys.sorted() : Array(requested) {
    guard let suite = suites[name] else {
        FileHandle.standardError.write("fathom-bench: unknown suite '\(name)'; known: \(suites.keys.sorted().joined(separator: ", "))\n".data(using: .utf8)!)
        exit(2)
    }
    suite()
}
Bench.report("memory", ["peak_rss_mib": Bench.peakResidentMiB()])
