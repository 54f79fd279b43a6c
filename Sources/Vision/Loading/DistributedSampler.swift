/// One process's share of every epoch in data-parallel training: the ranks cut the same
/// epoch order (the ``Sampler``'s, from the same seed, so identical on every rank) into
/// disjoint shards of equal length.
///
/// Rank `r` of `p` takes the positions `r, r + p, r + 2p, ...` of the epoch's order (PyTorch's
/// `DistributedSampler` layout). With a per-rank batch of `B / p`, step `k` of the `p` ranks
/// then covers exactly positions `kB ..< (k + 1)B`, the batch a single process with batch `B`
/// takes at step `k`: data-parallel training sees the same batches as training alone.
///
/// When `p` does not divide the epoch's length, ``Remainder`` decides: repeat the order's first
/// positions (PyTorch's default, every sample seen at least once) or leave the last ones out.
public struct DistributedSampler: Sendable, Hashable {
    /// What happens to an epoch whose length the ranks do not divide.
    public enum Remainder: Sendable, Hashable {
        /// Extend the order by repeating it from its start until every rank has
        /// `ceil(length / p)` positions (a few samples are seen twice).
        case padByRepeating
        /// Leave out the last `length % p` positions (a few samples are not seen that epoch).
        case dropLast
    }

    /// This process's rank, `0..<rankCount`.
    public let rank: Int
    /// The number of processes.
    public let rankCount: Int
    /// The rule for the positions left over.
    public let remainder: Remainder

    /// The shard of rank `rank` among `rankCount`.
    public init(rank: Int, rankCount: Int, remainder: Remainder = .padByRepeating) {
        precondition(rankCount >= 1 && (0..<rankCount).contains(rank),
                     "DistributedSampler: rank \(rank) is not in 0..<\(rankCount)")
        (self.rank, self.rankCount, self.remainder) = (rank, rankCount, remainder)
    }

    /// The length of the (padded or cut) order all ranks share for an epoch of `length`.
    public func sharedLength(of length: Int) -> Int {
        switch remainder {
        case .padByRepeating: (length + rankCount - 1) / rankCount * rankCount
        case .dropLast: length / rankCount * rankCount
        }
    }

    /// The number of positions each rank takes from an epoch of `length`.
    public func shardLength(of length: Int) -> Int { sharedLength(of: length) / rankCount }

    /// The positions of the shared order that this rank takes, in order.
    public func positions(length: Int) -> [Int] {
        Array(stride(from: rank, to: sharedLength(of: length), by: rankCount))
    }

    /// `order` extended or cut to ``sharedLength(of:)`` (repeating from its start).
    public func sharedOrder(_ order: [Int]) -> [Int] {
        let length = sharedLength(of: order.count)
        guard !order.isEmpty else { return [] }
        return (0..<length).map { order[$0 % order.count] }
    }

    /// This rank's shard of the epoch order `order`.
    public func shard(of order: [Int]) -> [Int] {
        let shared = sharedOrder(order)
        return positions(length: order.count).map { shared[$0] }
    }
}
