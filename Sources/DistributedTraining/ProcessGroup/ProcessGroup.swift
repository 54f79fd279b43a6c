import Foundation

/// The processes of one training job: this process's rank, how many there are, and the
/// collective operations between them (see `ProcessGroup+Collectives.swift`).
///
/// Under `mpirun` (detected from the environment, ``LaunchEnvironment``) the group is Open
/// MPI's `MPI_COMM_WORLD`, with libmpi loaded at run time; otherwise it is a group of one in
/// which every collective returns its input. Code written against a `ProcessGroup` therefore
/// runs unchanged alone or under `mpirun -np N`.
///
/// ```swift
/// let group = try ProcessGroup.world()
/// var gradient: [Float] = ...
/// try group.allReduce(&gradient, .mean)   // the same values on every rank
/// if group.isLeader { print("trained on \(group.size) processes") }
/// ```
public final class ProcessGroup: Sendable {
    /// This process's rank, `0..<size`.
    public let rank: Int
    /// The number of processes.
    public let size: Int
    /// The number of the job's processes on this machine (they share its cores).
    public let localSize: Int
    /// Open MPI's world communicator, or `nil` for the group of one.
    let communicator: MPICommunicator?
    /// Scratch memory of the rank-order all-reduce.
    let workspace = ReductionWorkspace()

    /// Whether several processes take part (started by `mpirun` with MPI initialized).
    public var isDistributed: Bool { communicator != nil }
    /// Whether this is rank 0, the process that logs and writes files.
    public var isLeader: Bool { rank == 0 }

    init(rank: Int, size: Int, localSize: Int, communicator: MPICommunicator?) {
        (self.rank, self.size, self.localSize, self.communicator) = (rank, size, localSize, communicator)
    }

    /// A group of one process: every collective returns its input.
    public static let single = ProcessGroup(rank: 0, size: 1, localSize: 1, communicator: nil)

    private static let worldLock = NSLock()
    nonisolated(unsafe) private static var cachedWorld: ProcessGroup?

    /// All processes of the job: Open MPI's world when a launcher started this process
    /// (initializing MPI on the first call), else ``single``.
    ///
    /// - Throws: ``DistributedError/libraryUnavailable(reason:)`` when started by `mpirun`
    ///   but libmpi cannot be loaded; ``DistributedError/callFailed(call:rank:code:message:)``
    ///   when `MPI_Init_thread` fails.
    public static func world() throws -> ProcessGroup {
        try worldLock.withLock {
            if let cachedWorld { return cachedWorld }
            let group: ProcessGroup
            if let launch = LaunchEnvironment() {
                let communicator = try MPICommunicator.initialize()
                group = ProcessGroup(rank: communicator.rank, size: communicator.size, localSize: launch.localSize,
                                     communicator: communicator)
            } else {
                group = .single
            }
            cachedWorld = group
            return group
        }
    }

    /// Ends every process of the job at once (`MPI_Abort`), after printing `message` with this
    /// rank to standard error; alone, exits with `code`. Use it when one rank fails: the
    /// others would otherwise wait for it in their next collective.
    public func abort(_ message: String, code: Int32 = 1) -> Never {
        FileHandle.standardError.write(Data("rank \(rank) of \(size): \(message)\n".utf8))
        guard let communicator else { exit(code) }
        communicator.abort(code: code)
    }
}
