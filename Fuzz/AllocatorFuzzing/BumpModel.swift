import NebulaMemory

/// A fixed-capacity bump arena as offsets into one buffer: a cursor, the newest allocation,
/// and a stack of restore points.
final class BumpModel: AllocatorModel {
    let subject: BumpAllocator
    private let other: BumpAllocator
    private let base: Int
    private let capacity: Int
    private var cursor = 0
    private var newest: Int?
    private var points: [BumpAllocator.Checkpoint] = []

    init(capacity: Int, configuration: BumpAllocator.Configuration) throws(AllocError) {
        subject = try BumpAllocator(capacity: capacity, configuration: configuration)
        other = try BumpAllocator(capacity: 64, configuration: configuration)
        self.capacity = capacity
        // The first allocation of an empty arena starts at its base.
        base = Int(bitPattern: try subject.allocate(Layout(size: 0, alignment: 1)))
        subject.reset()
    }

    var bounds: Range<Int>? { base..<(base + capacity) }
    var observed: ObservedState { ObservedState(used: subject.used, statistics: subject.statistics) }

    func predictAllocate(_ layout: Layout) -> Prediction {
        let start = alignedStart(layout)
        return layout.size <= capacity - start ? .success(address: base + start) : .failure(.arenaExhausted)
    }

    func didAllocate(at address: Int, _ layout: Layout) {
        newest = address - base
        cursor = address - base + layout.size
    }

    func predictDeallocate(at address: Int, _ layout: Layout) -> Prediction {
        let offset = address - base
        guard address % layout.alignment == 0 else { return .failure(.invalidPointer) }
        if offset == newest, offset + layout.size == cursor { return .succeeds }
        // Any other allocation inside the used memory is accepted and left in place.
        let inside = offset >= 0 && offset <= cursor && layout.size <= cursor - offset
        return inside ? .succeeds : .failure(.invalidPointer)
    }

    func didDeallocate(at address: Int, _ layout: Layout) -> Int? {
        let offset = address - base
        guard offset == newest, offset + layout.size == cursor, address % layout.alignment == 0 else { return nil }
        cursor = offset
        newest = nil
        return address
    }

    func takeRestorePoint() throws(AllocError) -> BumpAllocator.Checkpoint? {
        let point = subject.checkpoint()
        if points.last != point { points.append(point) }
        newest = nil
        return point
    }

    func foreignRestorePoint() -> BumpAllocator.Checkpoint? { other.checkpoint() }

    func predictRestore(_ point: BumpAllocator.Checkpoint) -> Prediction {
        points.contains(point) ? .succeeds : .failure(.invalidState)
    }

    func restore(to point: BumpAllocator.Checkpoint) throws(AllocError) { try subject.restore(to: point) }

    func didRestore(to point: BumpAllocator.Checkpoint) {
        points.removeSubrange((points.firstIndex(of: point)! + 1)...)
        cursor = point.used
        newest = nil
    }

    func reset() throws(AllocError) {
        subject.reset()
        cursor = 0
        newest = nil
        points.removeAll()
    }

    func checkState() throws(FuzzFailure) {
        try require(subject.used == cursor, "arena used \(subject.used), model \(cursor)")
        try require(subject.available == capacity - cursor, "arena available \(subject.available)")
    }

    private func alignedStart(_ layout: Layout) -> Int {
        let address = base + cursor
        return (address + layout.alignment - 1) / layout.alignment * layout.alignment - base
    }
}
