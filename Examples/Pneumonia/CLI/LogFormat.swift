import ArgumentParser
import Logging

/// How `pneumonia serve` writes its log lines (`--log-format`).
enum LogFormat: String, CaseIterable, ExpressibleByArgument {
    /// swift-log's plain lines.
    case text
    /// One JSON object per line.
    case json
}

// `--log-level` takes swift-log's level names, listed in the help and checked by ArgumentParser.
extension Logger.Level: @retroactive ExpressibleByArgument {}
