/// How ``ProcessGroup/allReduce(_:_:order:)`` combines the ranks' values.
public enum ReduceOperation: Sendable, Hashable {
    /// The element-wise sum over the ranks.
    case sum
    /// The element-wise sum divided by the number of ranks.
    case mean
}

/// In which order an all-reduce adds the ranks' values.
public enum ReductionOrder: Sendable, Hashable {
    /// Rank 0's value, plus rank 1's, plus rank 2's... for every element, whatever the
    /// network or Open MPI's choice of algorithm: bit-identical from run to run and on every
    /// rank. Each rank sums `1/size` of the elements (an `MPI_Alltoall`) and the sums are
    /// shared (`MPI_Allgather`): the same bytes on the wire as a ring all-reduce,
    /// `2 (size - 1) / size` times the buffer per rank.
    case rankOrder
    /// `MPI_Allreduce` with `MPI_SUM`: Open MPI picks the algorithm (by message size and
    /// process count, or by `--mca coll_tuned_allreduce_algorithm`), so the rounding may change
    /// with them.
    case library
}
