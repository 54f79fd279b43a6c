/// Why a collective operation or the start of a distributed job failed.
public enum DistributedError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The process was started by `mpirun` but Open MPI's `libmpi` could not be loaded or is
    /// not Open MPI; `reason` names the library files tried or the missing symbol.
    case libraryUnavailable(reason: String)
    /// An MPI call returned an error (a peer died, a network failure...).
    case callFailed(call: String, rank: Int, code: Int32, message: String)
    /// The ranks disagree about a size that must be the same on all of them.
    case mismatchedSizes(operation: String, rank: Int, sizes: [Int])
    /// An argument outside its valid range (a root rank that does not exist, a global batch
    /// that does not divide among the ranks...).
    case invalidArgument(String)

    /// A one-line explanation naming the rank where it applies.
    public var description: String {
        switch self {
        case .libraryUnavailable(let reason):
            "started under mpirun, but Open MPI is unusable: \(reason) (install openmpi-bin and libopenmpi-dev, "
                + "or set FATHOM_LIBMPI to libmpi's path)"
        case let .callFailed(call, rank, code, message):
            "rank \(rank): \(call) failed with MPI error \(code): \(message)"
        case let .mismatchedSizes(operation, rank, sizes):
            "rank \(rank): \(operation) needs the same size on every rank, got \(sizes) (in rank order)"
        case .invalidArgument(let message):
            message
        }
    }
}
