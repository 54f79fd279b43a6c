import Foundation

/// A progress display for long jobs: a redrawn bar on a terminal, plain lines otherwise (logs,
/// CI), so that output stays readable in both places.
public final class ProgressBar: @unchecked Sendable {
    private let title: String
    private let total: Double?
    private let interactive: Bool
    private let lock = NSLock()
    private let start = Date()
    private var lastDraw = Date.distantPast
    private var lastPlainPercent = -1
    private let output: FileHandle

    /// A bar for `total` units (nil when unknown), written to standard error.
    public init(title: String, total: Double?, output: FileHandle = .standardError) {
        self.title = title
        self.total = total
        self.output = output
        self.interactive = isatty(output.fileDescriptor) != 0
    }

    /// Shows `done` units and a free-form status (loss, accuracy, …).
    public func update(_ done: Double, status: String = "", force: Bool = false) {
        lock.withLock {
            let now = Date()
            let elapsed = now.timeIntervalSince(start)
            if interactive {
                guard force || now.timeIntervalSince(lastDraw) >= 0.1 else { return }
                lastDraw = now
                var line = title
                if let total, total > 0 {
                    let fraction = min(1, done / total)
                    let width = 24
                    let filled = Int(fraction * Double(width))
                    let eta = fraction > 0 ? elapsed / fraction - elapsed : 0
                    line += " [" + String(repeating: "█", count: filled) + String(repeating: "·", count: width - filled) + "]"
                    line += String(format: " %3.0f%% ETA %@", fraction * 100, Self.clock(eta))
                } else {
                    line += " " + Self.bytes(done)
                }
                if !status.isEmpty { line += "  " + status }
                output.write(("\r\u{1B}[2K" + line).data(using: .utf8)!)
            } else if let total, total > 0 {
                let percent = Int(min(1, done / total) * 100)
                guard force || percent >= lastPlainPercent + 10 else { return }
                lastPlainPercent = percent
                output.write("\(title) \(percent)% \(status)\n".data(using: .utf8)!)
            }
        }
    }

    /// Ends the bar with a final line.
    public func finish(_ message: String) {
        lock.withLock {
            output.write(((interactive ? "\r\u{1B}[2K" : "") + "\(title) \(message)\n").data(using: .utf8)!)
        }
    }

    /// `m:ss` or `h:mm:ss`.
    public static func clock(_ seconds: Double) -> String {
        let s = max(0, Int(seconds.rounded()))
        return s >= 3600 ? String(format: "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60) : String(format: "%d:%02d", s / 60, s % 60)
    }

    /// A byte count with a binary unit.
    public static func bytes(_ count: Double) -> String {
        count >= 1_048_576 ? String(format: "%.1f MiB", count / 1_048_576) : String(format: "%.0f KiB", count / 1024)
    }
}

/// Prints a line and flushes it at once, so that log lines reach a pipe or a CI log as they
/// happen rather than when a 4 KiB buffer fills.
public func printFlushed(_ line: String) {
    print(line)
    fflush(nil)  // all streams: naming `stdout` is not allowed under strict concurrency
}
