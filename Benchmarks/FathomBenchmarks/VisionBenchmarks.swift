import CTurboJPEG
import Foundation
import Tensor
import Vision

/// Vision benchmarks on real chest X-rays (224×224 JPEGs): the training input pipeline
/// decode → gray → resize 128 → random affine → normalize through a `DataLoader` with 0, 1 and
/// 2 workers, each stage alone on one thread, and PNG decoding; the baseline is raw TurboJPEG
/// decoding (one reused handle and buffer, no checks) of the same files in the same run.
/// The goal: at least 2000 images/s for the full pipeline on 2 cores.
enum VisionBenchmarks {
    /// Images per timed pass, spread evenly over both classes.
    static let imageCount = 256

    static func run() {
        let root = BenchmarkData.url("chest_xray_224/train")
        let folder = BenchmarkData.must { try ImageFolderDataset(root: root, colorModel: .gray) }
        let step = max(1, folder.count / imageCount)
        let dataset = folder.subset(Array(stride(from: 0, to: folder.count, by: step).prefix(imageCount)))
        let paths = dataset.indices.map { folder.paths[$0] }
        let files = paths.map { path in BenchmarkData.must { try [UInt8](Data(contentsOf: URL(fileURLWithPath: path))) } }

        let raw = rawDecode(files, pixelFormat: TJPF_RGB)
        let rawParallel = rawDecode(files, pixelFormat: TJPF_RGB, parallel: true)
        let rawGray = rawDecode(files, pixelFormat: TJPF_GRAY)
        let fathom = Bench.seconds(repeats: 3) {
            for bytes in files { blackHole(BenchmarkData.must { try Image.decode(bytes) }) }
        } / Double(files.count)
        Bench.report("jpeg_decode", ["images": files.count, "size": "224x224", "fathom_img_s": 1 / fathom,
                                     "raw_turbojpeg_rgb_img_s": 1 / raw, "raw_turbojpeg_gray_img_s": 1 / rawGray,
                                     "raw_turbojpeg_rgb_\(Parallel.coreCount)t_img_s": 1 / rawParallel, "ratio": raw / fathom])
        stages(files, paths: paths, rawDecode: raw)
        for workers in [0, 1, 2] { pipeline(dataset, files: files, workers: workers) }
        pngDecode(files, rawDecode: raw)
    }

    /// The training transform after decoding and gray conversion (done by the dataset).
    static let augmentation = Compose {
        Resize(size: 128)
        RandomAffine(degrees: -10...10, translate: (x: 0.06, y: 0.06), scale: 0.92...1.08)
        Normalize(mean: [0.5], standardDeviation: [0.25])
    }

    /// Seconds per image of TurboJPEG alone: header and decode into a reused buffer, on one
    /// thread or split over the cores (one handle and buffer per thread).
    static func rawDecode(_ files: [[UInt8]], pixelFormat: TJPF, parallel: Bool = false) -> Double {
        let channels = pixelFormat == TJPF_GRAY ? 1 : 3
        func decode(_ range: Range<Int>) {
            guard let handle = tjInitDecompress() else { BenchmarkData.fail("tjInitDecompress failed") }
            defer { tjDestroy(handle) }
            var pixels = [UInt8](repeating: 0, count: 1024 * 1024 * channels)
            for bytes in files[range] {
                bytes.withUnsafeBufferPointer { jpeg in
                    var width: Int32 = 0, height: Int32 = 0, subsampling: Int32 = 0, colorspace: Int32 = 0
                    let size = UInt(jpeg.count)
                    guard tjDecompressHeader3(handle, jpeg.baseAddress, size, &width, &height, &subsampling, &colorspace) == 0,
                          Int(width) * Int(height) * channels <= pixels.count,
                          tjDecompress2(handle, jpeg.baseAddress, size, &pixels, width, 0, height, pixelFormat.rawValue, 0) == 0
                    else { BenchmarkData.fail("TurboJPEG could not decode a benchmark file (\(width)×\(height)): \(String(cString: tjGetErrorStr2(handle)))") }
                }
            }
            blackHole(pixels[0])
        }
        return Bench.seconds(repeats: 3) {
            if parallel {
                Parallel.forEachChunk(count: files.count, minimumChunk: 1, decode)
            } else {
                decode(files.indices)
            }
        } / Double(files.count)
    }

    /// Each step of one sample's preparation alone, single-threaded, as images/s and as its
    /// share of the whole chain.
    static func stages(_ files: [[UInt8]], paths: [String], rawDecode: Double) {
        let decoded = files.map { bytes in BenchmarkData.must { try Image.decode(bytes) } }
        let gray = decoded.map { $0.convertedToGray() }
        let tensors = gray.map { Tensor(image: $0) }
        let resized = tensors.map { Resize(size: 128)($0) }
        let affine = RandomAffine(degrees: -10...10, translate: (x: 0.06, y: 0.06), scale: 0.92...1.08)
        let normalize = Normalize(mean: [0.5], standardDeviation: [0.25])
        var generator = RandomGenerator(seed: 31)
        let perImage: [(String, Double)] = [
            ("read_file", Bench.seconds(repeats: 3) {
                for path in paths { blackHole(BenchmarkData.must { try Data(contentsOf: URL(fileURLWithPath: path)) }) }
            }),
            ("decode", Bench.seconds(repeats: 3) { for b in files { blackHole(BenchmarkData.must { try Image.decode(b) }) } }),
            ("gray", Bench.seconds(repeats: 3) { for image in decoded { blackHole(image.convertedToGray()) } }),
            ("to_tensor", Bench.seconds(repeats: 3) { for image in gray { blackHole(Tensor(image: image)) } }),
            ("resize_224_to_128", Bench.seconds(repeats: 3) { for t in tensors { blackHole(Resize(size: 128)(t)) } }),
            ("random_affine_128", Bench.seconds(repeats: 3) { for t in resized { blackHole(affine(t, generator: &generator)) } }),
            ("normalize_128", Bench.seconds(repeats: 3) { for t in resized { blackHole(normalize(t)) } }),
        ].map { ($0.0, $0.1 / Double(files.count)) }
        let total = perImage.reduce(0) { $0 + $1.1 }
        for (stage, seconds) in perImage {
            Bench.report("vision_stage", ["stage": stage, "threads": 1, "img_s": 1 / seconds, "share": seconds / total,
                                          "of_raw_decode": rawDecode / seconds])
        }
    }

    /// The whole pipeline through a `DataLoader` (batches of 32), as images/s, against raw
    /// decoding of the same files with as many threads as the loader has workers, timed just
    /// before (the load of a shared machine drifts).
    static func pipeline<D: Dataset>(_ dataset: D, files: [[UInt8]], workers: Int) {
        let rawDecode = rawDecode(files, pixelFormat: TJPF_RGB, parallel: workers > 1)
        let loader = DataLoader(dataset: dataset, batchSize: 32, shuffle: true, seed: 1, transform: augmentation,
                                workerCount: workers)
        let t = Bench.seconds(repeats: 3) {
            BenchmarkData.must { try loader.forEachBatch(epoch: 0) { blackHole($0.images) } }
        }
        let rate = Double(dataset.count) / t
        Bench.report("vision_pipeline", ["steps": "read+decode+gray+resize128+affine+normalize+batch", "workers": workers,
                                         "images": dataset.count, "img_s": rate,
                                         "raw_decode_threads": workers > 1 ? Parallel.coreCount : 1, "raw_decode_img_s": 1 / rawDecode,
                                         "of_raw_decode": rate * rawDecode, "goal_img_s": 2000, "of_goal": rate / 2000])
    }

    /// PNG decoding of some of the X-rays, encoded in memory first (RGB as the JPEGs hold
    /// them, and gray).
    static func pngDecode(_ files: [[UInt8]], rawDecode: Double) {
        let images = files.prefix(32).map { bytes in BenchmarkData.must { try Image.decode(bytes) } }
        for (model, sources) in [("rgb", images), ("gray", images.map { $0.convertedToGray() })] {
            let pngs = sources.map { image in BenchmarkData.must { try image.pngData() } }
            let t = Bench.seconds(repeats: 3) {
                for png in pngs { blackHole(BenchmarkData.must { try Image.decode(png) }) }
            } / Double(pngs.count)
            let meanBytes = pngs.reduce(0) { $0 + $1.count } / pngs.count
            Bench.report("png_decode", ["images": pngs.count, "size": "224x224", "color": model, "mean_bytes": meanBytes,
                                        "img_s": 1 / t, "raw_jpeg_decode_img_s": 1 / rawDecode, "of_raw_jpeg_decode": rawDecode / t])
        }
    }
}

/// Finding the shared data (`FATHOM_DATA`, else `../shared/data` beside the package) and
/// stopping with a clear message when something cannot be read.
enum BenchmarkData {
    /// The data directory entry `relative`; exits with a message naming the path if absent.
    static func url(_ relative: String) -> URL {
        let base: URL
        if let directory = ProcessInfo.processInfo.environment["FATHOM_DATA"], !directory.isEmpty {
            base = URL(fileURLWithPath: directory, isDirectory: true)
        } else {
            let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
                .deletingLastPathComponent()
            base = packageRoot.appendingPathComponent("../shared/data", isDirectory: true).standardized
        }
        let url = base.appendingPathComponent(relative)
        guard FileManager.default.fileExists(atPath: url.path) else {
            fail("benchmark data not found at \(url.path); set FATHOM_DATA to the directory holding '\(relative)'")
        }
        return url
    }

    /// The value of `body`, or exit with its error: a benchmark cannot go on without its input.
    static func must<T>(_ body: () throws -> T) -> T {
        do { return try body() } catch { fail("\(error)") }
    }

    /// Prints `message` to standard error and exits with status 1.
    static func fail(_ message: String) -> Never {
        FileHandle.standardError.write("fathom-bench: \(message)\n".data(using: .utf8)!)
        exit(1)
    }
}
