import Foundation
import Serialization
import Tensor

/// Runs an exported ONNX file through the reference tools — `onnx.checker.check_model` and
/// ONNX Runtime on the CPU — by the script `check_onnx.py` beside this file, in a `python3`
/// process: the proof behind Fathom's ONNX tests.
///
/// It never skips: a missing `python3` or package is an ``ONNXRuntimeCheckError`` naming what
/// to install.
public enum ONNXRuntimeCheck {
    /// What ONNX Runtime computed and what the file says about itself.
    public struct Result: Sendable {
        /// Each output by name.
        public let outputs: [String: Tensor]
        /// The model's `metadata_props`, as ONNX Runtime reads them.
        public let metadata: [String: String]
        /// The versions of onnx, onnxruntime and numpy that ran.
        public let versions: [String: String]
    }

    /// The checker script.
    public static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("check_onnx.py")

    /// Checks `model` and runs it on `inputs` (by input name).
    /// - Throws: ``ONNXRuntimeCheckError`` naming what is missing or what failed.
    public static func run(model: URL, inputs: [String: Tensor]) throws -> Result {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("fathom-onnx-check-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        var arguments = ["python3", script.path, model.path, folder.path]
        for (name, tensor) in inputs.sorted(by: { $0.key < $1.key }) {
            let file = folder.appendingPathComponent("input-\(name).npy")
            try NPY.write(tensor, to: file)
            arguments.append("\(name)=\(file.path)")
        }
        let (status, output) = try runProcess(arguments)
        switch status {
        case 0: break
        case 127: throw ONNXRuntimeCheckError.pythonNotFound
        case 3: throw ONNXRuntimeCheckError.missingPackage(output)
        case 4: throw ONNXRuntimeCheckError.checkerRejected(output)
        default: throw ONNXRuntimeCheckError.runtimeFailed(status: status, output: output)
        }
        let reportFile = folder.appendingPathComponent("report.json")
        guard let data = try? Data(contentsOf: reportFile),
              let report = try? JSONDecoder().decode(Report.self, from: data) else {
            throw ONNXRuntimeCheckError.runtimeFailed(status: status, output: "no readable \(reportFile.path); output: \(output)")
        }
        var outputs: [String: Tensor] = [:]
        for name in report.outputs {
            outputs[name] = try NPY.read(from: folder.appendingPathComponent(name + ".npy")).tensor()
        }
        return Result(outputs: outputs, metadata: report.metadata, versions: report.versions)
    }

    /// The largest `|actual − expected| / max(1, |expected|)` over all elements: the tests'
    /// error measure (relative for large values, absolute below 1). Infinite when the shapes
    /// differ or a value is not finite.
    public static func largestRelativeError(_ actual: Tensor, _ expected: Tensor) -> Float {
        guard actual.shape == expected.shape else { return .infinity }
        var largest: Float = 0
        for (a, b) in zip(actual.scalars, expected.scalars) {
            let error = abs(a - b) / max(1, abs(b))
            guard error.isFinite else { return .infinity }
            largest = max(largest, error)
        }
        return largest
    }

    /// `report.json`.
    private struct Report: Decodable {
        let outputs: [String]
        let metadata: [String: String]
        let versions: [String: String]
    }

    /// Runs `/usr/bin/env arguments…`, returning its exit status and its merged stdout and stderr.
    private static func runProcess(_ arguments: [String]) throws -> (Int32, String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        do { try process.run() } catch { throw ONNXRuntimeCheckError.pythonNotFound }
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, output.trimmingCharacters(in: .whitespacesAndNewlines))
    }
}

/// Why the reference check could not run or did not pass.
public enum ONNXRuntimeCheckError: Error, CustomStringConvertible {
    /// `python3` is not on the PATH.
    case pythonNotFound
    /// A Python package is missing (the script's message names it).
    case missingPackage(String)
    /// `onnx.checker.check_model` rejected the file.
    case checkerRejected(String)
    /// ONNX Runtime could not load or run the file.
    case runtimeFailed(status: Int32, output: String)

    /// What is wrong and what to install.
    public var description: String {
        switch self {
        case .pythonNotFound: "python3 not found on PATH: the ONNX checks need python3 with `pip install onnx onnxruntime numpy`"
        case .missingPackage(let message): message
        case .checkerRejected(let message): message
        case let .runtimeFailed(status, output): "check_onnx.py exited with status \(status): \(output)"
        }
    }
}
