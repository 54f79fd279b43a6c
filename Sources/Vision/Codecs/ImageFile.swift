#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Whole-file reads and atomic writes with POSIX calls, whose `errno` gives precise reasons
/// ("No such file or directory", "Permission denied") for ``ImageCodecError`` messages.
package enum ImageFile {
    /// The contents of the file at `path`.
    package static func contents(atPath path: String) throws(ImageCodecError) -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw .fileUnreadable(path: path, reason: lastError()) }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw .fileUnreadable(path: path, reason: lastError()) }
        guard (info.st_mode & S_IFMT) != S_IFDIR else { throw .fileUnreadable(path: path, reason: "is a directory") }
        let size = Int(info.st_size)
        var failure: String?
        let bytes = [UInt8](unsafeUninitializedCapacity: size) { buffer, initialized in
            var done = 0
            while done < size {
                let got = read(fd, buffer.baseAddress! + done, size - done)
                if got > 0 {
                    done += got
                } else if got == 0 {
                    break  // the file shrank while being read: keep what is there
                } else if errno != EINTR {
                    failure = lastError()
                    break
                }
            }
            initialized = done
        }
        if let failure { throw .fileUnreadable(path: path, reason: failure) }
        return bytes
    }

    /// Writes `bytes` to `path` so that readers see either the old file or the complete new
    /// one, never a partial write: the bytes go to a temporary file in the same directory,
    /// which is then renamed over `path`.
    static func writeAtomically(_ bytes: [UInt8], to path: String) throws(ImageCodecError) {
        let slash = path.lastIndex(of: "/")
        let directory = slash.map { String(path[...$0]) } ?? ""
        let name = slash.map { String(path[path.index(after: $0)...]) } ?? path
        let temporary = "\(directory).\(name).\(UInt32.random(in: 0...UInt32.max)).tmp"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw .fileUnwritable(path: path, reason: lastError()) }
        var failure: String?
        bytes.withUnsafeBytes { buffer in
            var done = 0
            while done < buffer.count {
                let wrote = write(fd, buffer.baseAddress! + done, buffer.count - done)
                if wrote >= 0 {
                    done += wrote
                } else if errno != EINTR {
                    failure = lastError()
                    return
                }
            }
        }
        // close can report a deferred write error (NFS, full disk).
        if close(fd) != 0, failure == nil { failure = lastError() }
        if failure == nil, rename(temporary, path) != 0 { failure = lastError() }
        if let failure {
            unlink(temporary)
            throw .fileUnwritable(path: path, reason: failure)
        }
    }

    private static func lastError() -> String { String(cString: strerror(errno)) }
}
