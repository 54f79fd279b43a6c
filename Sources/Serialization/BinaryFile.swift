#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
import Tensor
#endif

extension SerializationSupport {
    /// Whole-file reads, chunked reads and atomic writes over POSIX calls.
    ///
    /// POSIX rather than Foundation so that every failure becomes a
    /// `SerializationError.io` carrying the path and `strerror`'s explanation, and so that
    /// writes can be made durable (fsync) before the rename that publishes them.
    enum BinaryFile {
        /// The size of the chunks used by streaming reads.
        static let chunkSize = 1 << 20

        /// Reads the whole file at `path`.
        static func read(path: String) throws -> [UInt8] {
            let descriptor = try open(path: path)
            defer { close(descriptor) }
            var info = stat()
            guard fstat(descriptor, &info) == 0 else { throw error(path) }
            // S_IFMT / S_IFREG spelled out: the macros import with different types per libc.
            guard (info.st_mode & 0o170000) == 0o100000 else {
                throw SerializationError.io(path: path, reason: "not a regular file")
            }
            let size = Int(info.st_size)
            // Uninitialized: a 236 MB dataset should not be zero-filled just to be overwritten.
            // If the file shrank while being read, only what was read is kept.
            return try [UInt8](unsafeUninitializedCapacity: size) { buffer, initialized in
                initialized = try readFully(descriptor, into: UnsafeMutableRawBufferPointer(buffer), path: path)
            }
        }

        /// Calls `body` with successive chunks of the file at `path`, in order.
        static func forEachChunk(path: String, _ body: (UnsafeRawBufferPointer) throws -> Void) throws {
            let descriptor = try open(path: path)
            defer { close(descriptor) }
            let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: chunkSize, alignment: 16)
            defer { buffer.deallocate() }
            while true {
                let got = try readFully(descriptor, into: buffer, path: path)
                if got > 0 { try body(UnsafeRawBufferPointer(rebasing: buffer[0..<got])) }
                if got < chunkSize { return }
            }
        }

        /// Replaces the file at `path` with `bytes` atomically: readers see either the old file
        /// or the complete new one, never a partial write, even after a crash.
        ///
        /// Writes a temporary file in the same directory (rename is only atomic within one file
        /// system), fsyncs it, renames it over `path`, then fsyncs the directory so that the
        /// rename itself is durable.
        static func writeAtomically(_ bytes: [UInt8], to path: String) throws {
            let directory = directoryName(of: path)
            let temporary = directory + "/." + baseName(of: path) + ".tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
            let descriptor = temporary.withCString { Glue.open($0, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644) }
            guard descriptor >= 0 else { throw error(temporary) }
            var published = false
            defer { if !published { unlink(temporary) } }
            do {
                defer { close(descriptor) }
                try bytes.withUnsafeBytes { try writeFully(descriptor, $0, path: temporary) }
                guard fsync(descriptor) == 0 else { throw error(temporary) }
            }
            guard rename(temporary, path) == 0 else { throw error(path) }
            published = true
            // Best effort: some file systems refuse to open or fsync directories.
            let directoryDescriptor = Glue.open(directory, O_RDONLY | O_CLOEXEC, 0)
            if directoryDescriptor >= 0 {
                _ = fsync(directoryDescriptor)
                close(directoryDescriptor)
            }
        }

        private static func open(path: String) throws -> Int32 {
            let descriptor = Glue.open(path, O_RDONLY | O_CLOEXEC, 0)
            guard descriptor >= 0 else { throw error(path) }
            return descriptor
        }

        /// Reads until `buffer` is full or the file ends; returns the number of bytes read.
        private static func readFully(_ descriptor: Int32, into buffer: UnsafeMutableRawBufferPointer, path: String) throws -> Int {
            var done = 0
            while done < buffer.count {
                let got = Glue.read(descriptor, buffer.baseAddress! + done, buffer.count - done)
                if got < 0 {
                    if errno == EINTR { continue }
                    throw error(path)
                }
                if got == 0 { break }
                done += got
            }
            return done
        }

        private static func writeFully(_ descriptor: Int32, _ bytes: UnsafeRawBufferPointer, path: String) throws {
            var done = 0
            while done < bytes.count {
                let wrote = Glue.write(descriptor, bytes.baseAddress! + done, bytes.count - done)
                if wrote < 0 {
                    if errno == EINTR { continue }
                    throw error(path)
                }
                done += wrote
            }
        }

        private static func error(_ path: String) -> SerializationError {
            .io(path: path, reason: String(cString: strerror(errno)))
        }

        private static func directoryName(of path: String) -> String {
            guard let slash = path.lastIndex(of: "/") else { return "." }
            return slash == path.startIndex ? "/" : String(path[..<slash])
        }

        private static func baseName(of path: String) -> String {
            guard let slash = path.lastIndex(of: "/") else { return path }
            return String(path[path.index(after: slash)...])
        }
    }

    /// The C library calls whose names clash with the methods above.
    private enum Glue {
        static func open(_ path: UnsafePointer<CChar>, _ flags: Int32, _ mode: mode_t) -> Int32 {
            #if canImport(Darwin)
            return Darwin.open(path, flags, mode)
            #elseif canImport(Glibc)
            return Glibc.open(path, flags, mode)
            #else
            return Musl.open(path, flags, mode)
            #endif
        }

        static func read(_ descriptor: Int32, _ buffer: UnsafeMutableRawPointer, _ count: Int) -> Int {
            #if canImport(Darwin)
            return Darwin.read(descriptor, buffer, count)
            #elseif canImport(Glibc)
            return Glibc.read(descriptor, buffer, count)
            #else
            return Musl.read(descriptor, buffer, count)
            #endif
        }

        static func write(_ descriptor: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int {
            #if canImport(Darwin)
            return Darwin.write(descriptor, buffer, count)
            #elseif canImport(Glibc)
            return Glibc.write(descriptor, buffer, count)
            #else
            return Musl.write(descriptor, buffer, count)
            #endif
        }
    }
}
