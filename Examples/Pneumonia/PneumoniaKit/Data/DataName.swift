import Foundation

/// How a run names its data without saying where it lives on the training machine.
///
/// `run.json`, the metadata in `model.safetensors` and the model card that `pneumonia serve`
/// shows to every visitor travel with the model, so they hold the data's name — the last
/// component of its path (`pneumoniamnist.npz`, `chest_xray_224`), with the parent kept for a
/// split folder (`chest_xray_224/train`) — and its fingerprint, never an absolute path. A name
/// is found again relative to `$FATHOM_DATA` or the cache (see ``DataLocation``).
public enum DataName {
    /// The folder names of a dataset's splits.
    static let splitFolders: Set<String> = ["train", "val", "test"]

    /// The name of the file or folder at `url`: its last path component, or the last two when
    /// the last is a split folder (`train`, `val`, `test`), which says little on its own.
    public static func of(_ url: URL) -> String {
        let components = url.standardizedFileURL.pathComponents.filter { $0 != "/" }
        guard let last = components.last else { return url.path }
        if splitFolders.contains(last), components.count >= 2 {
            return components[components.count - 2] + "/" + last
        }
        return last
    }

    /// `text` with every absolute path in it (a `/` or `~/` at the start of a word, up to the
    /// next comma, quote or parenthesis) replaced by its name: what run directories written
    /// before data was recorded by name say about their data, made fit to show.
    public static func redactingAbsolutePaths(in text: String) -> String {
        text.replacing(/(?<lead>^|[\s'"(])(?<path>~?\/[^\s,'"()][^,'"()\n]*)/) { match -> String in
            let path = String(match.output.path)
            let end = path.lastIndex { !$0.isWhitespace }.map(path.index(after:)) ?? path.endIndex
            let expanded = (String(path[..<end]) as NSString).expandingTildeInPath
            return String(match.output.lead) + of(URL(fileURLWithPath: expanded)) + path[end...]
        }
    }
}
