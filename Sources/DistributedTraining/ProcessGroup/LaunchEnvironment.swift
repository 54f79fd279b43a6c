import Foundation

/// What a launcher told this process through its environment: its rank, the job's size, and
/// how many ranks share this machine.
///
/// Open MPI's `mpirun` sets `OMPI_COMM_WORLD_RANK`, `OMPI_COMM_WORLD_SIZE` and
/// `OMPI_COMM_WORLD_LOCAL_SIZE`; PMIx launchers (Open MPI 5's `prterun`, Slurm's `srun
/// --mpi=pmix`) set `PMIX_RANK` and, with Open MPI, the `OMPI_` variables as well.
public struct LaunchEnvironment: Sendable, Hashable {
    /// This process's rank, `0..<size`.
    public var rank: Int
    /// The number of processes in the job.
    public var size: Int
    /// The number of processes of the job on this machine.
    public var localSize: Int

    /// The launch described by `environment`, or `nil` when no launcher started the process
    /// (then it trains alone).
    public init?(_ environment: [String: String] = ProcessInfo.processInfo.environment) {
        func number(_ name: String) -> Int? { environment[name].flatMap { Int($0) } }
        guard let rank = number("OMPI_COMM_WORLD_RANK") ?? number("PMIX_RANK") else { return nil }
        let size = number("OMPI_COMM_WORLD_SIZE") ?? number("PMIX_SIZE") ?? 1
        guard size >= 1, (0..<size).contains(rank) else { return nil }
        self.rank = rank
        self.size = size
        self.localSize = max(1, number("OMPI_COMM_WORLD_LOCAL_SIZE") ?? number("PMIX_LOCAL_SIZE") ?? 1)
    }
}
