import NebulaMemory

/// A fixed-capacity bump arena as offsets into one buffer: a cursor, the newest allocation,
/// and a stack of restore points. Hardened, each allocation is followed by its canary and
/// logged, and a free must name a logged allocation (or lie inside one).
final class BumpModel: AllocatorModel {
    let subject: BumpAllocator
    private let other: BumpAllocator
    private let base: Int
    private let capacity: Int
    private var cursor = 0
    private var newest: Int?
    private var points: [BumpAllocator.Checkpoint] = []
    /// Bytes of canary after each allocation (hardened), else 0.
    private let canary: Int
    /// The hardened arena's log of live allocations, oldest first: offset and size.
    private var log: [(offset: Int, size: Int)] = []

    init(capacity: Int, configuration: BumpAllocator.Configuration) throws(AllocError) {
        subject = try BumpAllocator(capacity: capacity, configuration: configuration)
        other = try BumpAllocator(capacity: 64, configuration: configuration)
        self.capacity = capacity
        canary = configuration.hardened ? 8 : 0
        // The first allocation of an empty arena starts at its base.
        base = Int(bitPattern: try subject.allocate(Layout(size: 0, alignment: 1)))
        subject.reset()
    }

    var bounds: Range<Int>? { base..<(base + capacity) }
    var observed: ObservedState { ObservedState(used: subject.used, statistics: subject.statistics) }

    func predictAllocate(_ layout: Layout) -> Prediction {
        let start = alignedStart(layout)
        return layout.size <= capacity - start - canary ? .success(address: base + start) : .failure(.arenaExhausted)
    }

    func didAllocate(at address: Int, _ layout: Layout) {
        newest = address - base
        cursor = address - base + layout.size + canary
        if canary > 0 { log.append((address - base, layout.size)) }
    }

    func predictDeallocate(at address: Int, _ layout: Layout) -> Prediction {
        let offset = address - base
        guard address % layout.alignment == 0 else { return .failure(.invalidPointer) }
        if reclaims(offset, layout) { return .succeeds }
        // Any other allocation inside the used memory is accepted and left in place; hardened,
        // only one inside a logged allocation.
        let inside = offset >= 0 && offset <= cursor && layout.size <= cursor - offset
        let logged = canary == 0 || log.contains { $0.offset <= offset && offset + layout.size <= $0.offset + $0.size }
        return inside && logged ? .succeeds : .failure(.invalidPointer)
    }

    /// Whether freeing `offset` takes back the newest allocation.
    private func reclaims(_ offset: Int, _ layout: Layout) -> Bool {
        guard offset == newest, (base + offset) % layout.alignment == 0 else { return false }
        return canary == 0 ? offset + layout.size == cursor : log.last.map { $0 == (offset, layout.size) } ?? false
    }

    func didDeallocate(at address: Int, _ layout: Layout) -> Int? {
        let offset = address - base
        guard reclaims(offset, layout) else { return nil }
        cursor = offset
        newest = nil
        if canary > 0 { log.removeLast() }
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
        log.removeAll { $0.offset >= point.used }
    }

    func reset() throws(AllocError) {
        subject.reset()
        cursor = 0
        newest = nil
        points.removeAll()
        log.removeAll()
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
