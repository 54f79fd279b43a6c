import CMPIShim
import Foundation

/// `MPI_COMM_WORLD` of an initialized Open MPI, through the run-time-loaded shim.
///
/// Every call checks its return code (the shim sets `MPI_ERRORS_RETURN`) and throws a
/// ``DistributedError`` naming the call and this rank.
struct MPICommunicator: Sendable {
    let rank: Int
    let size: Int

    /// Loads libmpi (`FATHOM_LIBMPI`, else `libmpi.so.40`), initializes MPI with
    /// `MPI_THREAD_FUNNELED` and arranges `MPI_Finalize` at a clean exit.
    static func initialize() throws -> MPICommunicator {
        var message = [CChar](repeating: 0, count: 1024)
        let path = ProcessInfo.processInfo.environment["FATHOM_LIBMPI"]
        guard fathom_mpi_load(path, &message, message.count) == 0 else {
            throw DistributedError.libraryUnavailable(reason: String(decoding: message.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
        }
        var rank: Int32 = 0, size: Int32 = 0
        try check("MPI_Init_thread", rank: Int(LaunchEnvironment()?.rank ?? -1), fathom_mpi_initialize(&rank, &size))
        // Open MPI treats a rank that exits without MPI_Finalize as failed; a failed rank
        // instead ends the job with `abort(_:)`, since finalizing waits for the other ranks.
        atexit { _ = fathom_mpi_finalize() }
        return MPICommunicator(rank: Int(rank), size: Int(size))
    }

    /// Throws when `status` is not `MPI_SUCCESS`.
    static func check(_ call: String, rank: Int, _ status: Int32) throws {
        guard status != 0 else { return }
        var text = [CChar](repeating: 0, count: 512)
        fathom_mpi_error_string(status, &text, text.count)
        let message = String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        throw DistributedError.callFailed(call: call, rank: rank, code: status, message: message)
    }

    func check(_ call: String, _ status: Int32) throws { try Self.check(call, rank: rank, status) }

    func allReduceSum(_ buffer: UnsafeMutableBufferPointer<Float>) throws {
        guard let base = buffer.baseAddress else { return }
        try check("MPI_Allreduce", fathom_mpi_allreduce_sum_float(base, buffer.count))
    }

    func allToAll(_ send: UnsafeBufferPointer<Float>, into receive: UnsafeMutableBufferPointer<Float>, countPerRank: Int) throws {
        try check("MPI_Alltoall", fathom_mpi_alltoall_float(send.baseAddress, receive.baseAddress, countPerRank))
    }

    func allGather(_ send: UnsafeRawBufferPointer, into receive: UnsafeMutableRawBufferPointer) throws {
        try check("MPI_Allgather", fathom_mpi_allgather_bytes(send.baseAddress, receive.baseAddress, send.count))
    }

    func broadcast(_ buffer: UnsafeMutableRawBufferPointer, root: Int) throws {
        guard let base = buffer.baseAddress else { return }
        try check("MPI_Bcast", fathom_mpi_broadcast_bytes(base, buffer.count, Int32(root)))
    }

    func barrier() throws { try check("MPI_Barrier", fathom_mpi_barrier()) }

    func abort(code: Int32) -> Never {
        fathom_mpi_abort(code)
        exit(code)  // MPI_Abort does not return; this satisfies the type checker
    }
}
