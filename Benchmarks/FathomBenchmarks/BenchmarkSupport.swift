import CBLAS
import Foundation
import Tensor

/// Timing helpers shared by every benchmark suite.
///
/// Results are printed one per line as `bench=NAME key=value …`, so scripts can grep them.
/// Every speed figure is paired with a baseline measured in the same process, because the
/// machines are shared and absolute numbers drift.
enum Bench {
    /// Seconds per call of `body`: the median of `repeats` timed runs after one warm-up, each run
    /// repeating `body` enough times to last at least `minimumSeconds`.
    static func seconds(repeats: Int = 5, minimumSeconds: Double = 0.05, _ body: () -> Void) -> Double {
        body()
        var iterations = 1
        var samples: [Double] = []
        while true {
            let t = time(iterations, body)
            if t >= minimumSeconds || iterations >= 1 << 20 {
                samples.append(t / Double(iterations))
                break
            }
            iterations *= 2
        }
        for _ in 1..<repeats { samples.append(time(iterations, body) / Double(iterations)) }
        return samples.sorted()[samples.count / 2]
    }

    private static func time(_ iterations: Int, _ body: () -> Void) -> Double {
        let start = DispatchTime.now().uptimeNanoseconds
        for _ in 0..<iterations { body() }
        return Double(DispatchTime.now().uptimeNanoseconds - start) * 1e-9
    }

    /// Prints one result line.
    static func report(_ name: String, _ values: KeyValuePairs<String, Any>) {
        report(name, fields: values.map { ($0.key, $0.value) })
    }

    /// Prints one result line from fields in order.
    static func report(_ name: String, fields values: [(String, Any)]) {
        let fields = values.map { key, value in
            if let d = value as? Double { return "\(key)=\(String(format: d < 10 ? "%.3f" : "%.1f", d))" }
            return "\(key)=\(value)"
        }
        print((["bench=\(name)"] + fields).joined(separator: " "))
    }

    /// Runs `body` with OpenBLAS threaded over all cores, as it runs by default: the baseline
    /// for Fathom's own GEMMs (``GEMM``), which split large products across the cores with
    /// ``Parallel``. Leaves OpenBLAS on one thread afterwards, so that its spinning threads
    /// do not compete with Fathom's workers for the rest of the run.
    static func withOpenBLASOnAllCores<R>(_ body: () -> R) -> R {
        openblas_set_num_threads(Int32(Parallel.coreCount))
        defer { openblas_set_num_threads(1) }
        return body()
    }

    /// User plus system CPU seconds of this process so far, all threads.
    static func processCPUSeconds() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        func seconds(_ t: timeval) -> Double { Double(t.tv_sec) + Double(t.tv_usec) * 1e-6 }
        return seconds(usage.ru_utime) + seconds(usage.ru_stime)
    }

    /// Peak resident set size of this process, in MiB (Linux `VmHWM`).
    static func peakResidentMiB() -> Double {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return .nan }
        for line in status.split(separator: "\n") where line.hasPrefix("VmHWM:") {
            let kib = line.split(separator: " ").compactMap { Double($0) }.first ?? .nan
            return kib / 1024
        }
        return .nan
    }
}

/// Keeps the optimizer from deleting work whose result is otherwise unused.
@inline(never) func blackHole<T>(_ value: T) { sink = value }
nonisolated(unsafe) private var sink: Any?
