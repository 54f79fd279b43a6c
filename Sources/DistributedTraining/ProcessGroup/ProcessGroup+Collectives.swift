/// Collective operations: every rank must call the same ones in the same order, with the same
/// element counts where stated; a rank that fails instead calls ``ProcessGroup/abort(_:code:)``.
extension ProcessGroup {
    /// Replaces `buffer` on every rank by the sum or mean over the ranks of their buffers.
    ///
    /// - Parameter order: ``ReductionOrder/rankOrder`` (the default) gives bit-identical results
    ///   run to run; ``ReductionOrder/library`` leaves the order to Open MPI.
    /// - Throws: ``DistributedError`` when an MPI call fails (a peer died).
    public func allReduce(_ buffer: UnsafeMutableBufferPointer<Float>, _ operation: ReduceOperation,
                          order: ReductionOrder = .rankOrder) throws {
        guard let communicator, buffer.count > 0 else { return }
        switch order {
        case .library: try communicator.allReduceSum(buffer)
        case .rankOrder: try rankOrderSum(buffer, communicator)
        }
        if operation == .mean {
            let ranks = Float(size)
            for i in buffer.indices { buffer[i] /= ranks }
        }
    }

    /// Replaces `values` by their sum or mean over the ranks (see ``allReduce(_:_:order:)``).
    public func allReduce(_ values: inout [Float], _ operation: ReduceOperation, order: ReductionOrder = .rankOrder) throws {
        try values.withUnsafeMutableBufferPointer { try allReduce($0, operation, order: order) }
    }

    /// The sum in rank order: each rank receives one slice from every rank (`MPI_Alltoall`),
    /// adds them rank 0 first, and every rank receives every summed slice (`MPI_Allgather`).
    /// A buffer the ranks do not divide evenly goes through a zero-padded copy.
    private func rankOrderSum(_ buffer: UnsafeMutableBufferPointer<Float>, _ communicator: MPICommunicator) throws {
        let slice = (buffer.count + size - 1) / size
        let padded = slice * size != buffer.count
        workspace.reserve(send: padded ? slice * size : 0, received: slice * size, summed: slice)
        try workspace.withBuffers { send, received, summed in
            var whole = buffer
            if padded {
                whole = UnsafeMutableBufferPointer(rebasing: send[0..<(slice * size)])
                _ = whole.initialize(from: buffer)
                for i in buffer.count..<whole.count { whole[i] = 0 }
            }
            let receivedSlices = UnsafeMutableBufferPointer(rebasing: received[0..<(slice * size)])
            try communicator.allToAll(UnsafeBufferPointer(whole), into: receivedSlices, countPerRank: slice)
            let sum = UnsafeMutableBufferPointer(rebasing: summed[0..<slice])
            for i in 0..<slice { sum[i] = receivedSlices[i] }
            for source in 1..<size {
                let offset = source * slice
                for i in 0..<slice { sum[i] += receivedSlices[offset + i] }
            }
            try communicator.allGather(UnsafeRawBufferPointer(sum), into: UnsafeMutableRawBufferPointer(whole))
            if padded { _ = buffer.initialize(from: UnsafeBufferPointer(rebasing: whole[0..<buffer.count])) }
        }
    }

    /// Replaces `buffer` on every rank by `root`'s.
    public func broadcast(_ buffer: UnsafeMutableRawBufferPointer, from root: Int = 0) throws {
        guard (0..<size).contains(root) else {
            throw DistributedError.invalidArgument("broadcast from rank \(root), but the group has ranks 0..<\(size)")
        }
        try communicator?.broadcast(buffer, root: root)
    }

    /// Replaces `values` on every rank by `root`'s (the same count on every rank).
    public func broadcast<Element: BitwiseCopyable>(_ values: inout [Element], from root: Int = 0) throws {
        try values.withUnsafeMutableBytes { try broadcast($0, from: root) }
    }

    /// Every rank's `values`, in rank order, on every rank. The ranks may give different
    /// counts (the counts are exchanged first).
    public func allGather<Element: BitwiseCopyable>(_ values: [Element]) throws -> [[Element]] {
        guard let communicator else { return [values] }
        var counts = [Int](repeating: 0, count: size)
        try [values.count].withUnsafeBytes { send in
            try counts.withUnsafeMutableBytes { try communicator.allGather(send, into: $0) }
        }
        let longest = counts.max() ?? 0
        guard longest > 0 else { return counts.map { _ in [] } }
        // Padded to the longest with copies of a real element (any bit pattern is valid then).
        let filler = values.first ?? Self.anyValue(of: Element.self)
        let padded = values + [Element](repeating: filler, count: longest - values.count)
        var all = [Element](repeating: filler, count: longest * size)
        try padded.withUnsafeBytes { send in
            try all.withUnsafeMutableBytes { try communicator.allGather(send, into: $0) }
        }
        return (0..<size).map { r in Array(all[(r * longest)..<(r * longest + counts[r])]) }
    }

    /// Waits until every rank has called it.
    public func barrier() throws {
        try communicator?.barrier()
    }

    /// An arbitrary value of a bit-copyable type: zero bytes.
    private static func anyValue<Element: BitwiseCopyable>(of type: Element.Type) -> Element {
        withUnsafeTemporaryAllocation(of: Element.self, capacity: 1) { slot in
            let raw = UnsafeMutableRawBufferPointer(slot)
            raw.initializeMemory(as: UInt8.self, repeating: 0)
            return slot[0]
        }
    }
}
