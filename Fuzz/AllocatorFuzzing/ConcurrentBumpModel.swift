import NebulaMemory

/// The thread-safe arena driven from one thread. Thread buffers leave gaps the model cannot
/// place, so it is exact only where the arena's used bytes decide: a request that fits with a
/// whole new buffer to spare succeeds, one larger than the arena fails, and one in between may
/// fail; a pointer outside the used memory or misaligned is invalid, a live allocation is
/// accepted, and any other pointer inside the used memory may be either.
final class ConcurrentBumpModel: AllocatorModel {
    let subject: ConcurrentBumpAllocator
    private let other: ConcurrentBumpAllocator
    private let base: Int
    private let capacity: Int
    private let bufferSize: Int
    private var inUse: [Int: Int] = [:]
    private var newest: Int?
    private var points: [ConcurrentBumpAllocator.Checkpoint] = []

    init(capacity: Int, configuration: ConcurrentBumpAllocator.Configuration) throws(AllocError) {
        subject = try ConcurrentBumpAllocator(capacity: capacity, configuration: configuration)
        other = try ConcurrentBumpAllocator(capacity: 64, configuration: configuration)
        self.capacity = capacity
        // The automatic buffer size is at most 32 KiB, and at most the whole arena.
        bufferSize = min(capacity, configuration.threadBufferSize == 0 ? 32 * 1024 : configuration.threadBufferSize)
        base = Int(bitPattern: try subject.allocate(Layout(size: 0, alignment: 1)))
        try subject.reset()
    }

    var bounds: Range<Int>? { base..<(base + capacity) }
    var observed: ObservedState { ObservedState(used: subject.used, statistics: subject.statistics) }

    func predictAllocate(_ layout: Layout) -> Prediction {
        if layout.size > capacity { return .failure(.arenaExhausted) }
        let room = capacity - subject.used
        return layout.size + layout.alignment + bufferSize <= room ? .succeeds : .either(.arenaExhausted)
    }

    func didAllocate(at address: Int, _ layout: Layout) {
        inUse[address] = layout.size
        newest = address
    }

    func predictDeallocate(at address: Int, _ layout: Layout) -> Prediction {
        guard address % layout.alignment == 0 else { return .failure(.invalidPointer) }
        if inUse[address] == layout.size { return .succeeds }
        let offset = address - base
        let inside = offset >= 0 && offset <= subject.used && layout.size <= subject.used - offset
        return inside ? .either(.invalidPointer) : .failure(.invalidPointer)
    }

    func didDeallocate(at address: Int, _ layout: Layout) -> Int? {
        inUse[address] = nil
        guard address == newest else { return nil }
        newest = nil
        return address
    }

    func takeRestorePoint() throws(AllocError) -> ConcurrentBumpAllocator.Checkpoint? {
        let point = try subject.checkpoint()
        if points.last != point { points.append(point) }
        newest = nil
        return point
    }

    func foreignRestorePoint() -> ConcurrentBumpAllocator.Checkpoint? { try? other.checkpoint() }

    func predictRestore(_ point: ConcurrentBumpAllocator.Checkpoint) -> Prediction {
        points.contains(point) ? .succeeds : .failure(.invalidState)
    }

    func restore(to point: ConcurrentBumpAllocator.Checkpoint) throws(AllocError) { try subject.restore(to: point) }

    func didRestore(to point: ConcurrentBumpAllocator.Checkpoint) {
        points.removeSubrange((points.firstIndex(of: point)! + 1)...)
        inUse = inUse.filter { $0.key - base < point.used }
        newest = nil
    }

    func reset() throws(AllocError) {
        try subject.reset()
        inUse.removeAll()
        newest = nil
        points.removeAll()
    }

    func checkState() throws(FuzzFailure) {
        try require(subject.used >= 0 && subject.used <= capacity, "arena used \(subject.used) of \(capacity)")
    }
}
