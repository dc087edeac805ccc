import NebulaMemory

/// The C allocator: every valid request it can back succeeds, nothing is checked on free (so
/// only its own pointers are freed: the rest is undefined behaviour by its contract).
final class SystemModel: AllocatorModel {
    typealias RestorePoint = Never

    /// Larger than this machine's memory: `malloc` must refuse it.
    static let impossibleSize = 1 << 40

    let subject = SystemAllocator.shared
    private var inUse: [Int: Layout] = [:]

    deinit { freeAll() }

    var targets: [AllocatorOperation.Target] { [.live, .wrongSize] }
    var observed: ObservedState { ObservedState(used: inUse.count, statistics: nil) }

    func predictAllocate(_ layout: Layout) -> Prediction {
        layout.size >= Self.impossibleSize ? .failure(.outOfMemory) : .succeeds
    }

    func didAllocate(at address: Int, _ layout: Layout) { inUse[address] = layout }
    func predictDeallocate(at address: Int, _ layout: Layout) -> Prediction { .succeeds }

    func didDeallocate(at address: Int, _ layout: Layout) -> Int? {
        inUse[address] = nil
        return nil
    }

    /// The system allocator has no reset: frees what is live, one by one.
    func reset() throws(AllocError) { freeAll() }

    private func freeAll() {
        for (address, layout) in inUse {
            try? subject.deallocate(UnsafeMutableRawPointer(bitPattern: address)!, layout: layout)
        }
        inUse.removeAll()
    }
    func checkState() throws(FuzzFailure) {}
}
