// fathom-bench: prints `bench=NAME key=value …` lines. Run in release:
//   swift run -c release fathom-bench [suite …]   (suites: tensor, gemm, layers, optim, vision, pipeline, reflection; default: all)
//   swift run -c release fathom-bench compare [workload …]   (the PyTorch comparison's rows; see Benchmarks/compare)
//   fathom-bench distributed [workload … | allreduce]   (data-parallel steps, alone or under mpirun; see Benchmarks/distributed)
import Foundation
import Tensor

let suites: [String: () -> Void] = [
    "tensor": TensorBenchmarks.run,
    "gemm": GEMMBenchmarks.run,
    "layers": LayersBenchmarks.run,
    "optim": OptimBenchmarks.run,
    "vision": VisionBenchmarks.run,
    "pipeline": PipelineBenchmarks.run,
    "reflection": ReflectionBenchmarks.run,
]
let requested = Array(CommandLine.arguments.dropFirst())
if requested.first == "distributed" {
    DistributedBenchmarks.run(Array(requested.dropFirst()))
    exit(0)
}
if requested.first == "compare" {
    // Its own line format and peak memory per row: not mixed with the other suites.
    CompareBenchmarks.run(Array(requested.dropFirst()))
    exit(0)
}
// Which GEMM path the products take (FATHOM_ISA forces one; a request this CPU cannot honour stops here).
if let problem = GEMM.instructionSetOverrideProblem { BenchmarkData.fail(problem) }
Bench.report("gemm_path", ["isa": GEMM.instructionSet.rawValue, "tile": "\(GEMM.instructionSet.tile.rows)x\(GEMM.instructionSet.tile.columns)",
                           "blocking": "\(GEMM.instructionSet.blocking.depth)/\(GEMM.instructionSet.blocking.rows)/\(GEMM.instructionSet.blocking.columns)"])
for name in requested.isEmpty ? suites.keys.sorted() : requested {
    guard let suite = suites[name] else {
        FileHandle.standardError.write("fathom-bench: unknown suite '\(name)'; known: \(suites.keys.sorted().joined(separator: ", ")), compare\n".data(using: .utf8)!)
        exit(2)
    }
    suite()
}
Bench.report("memory", ["peak_rss_mib": Bench.peakResidentMiB()])
