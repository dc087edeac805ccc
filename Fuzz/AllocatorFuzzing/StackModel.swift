import NebulaMemory

/// A LIFO stack as offsets into one buffer: each allocation follows a header and remembers the
/// cursor before it; markers are the stack's positions, valid until released past.
final class StackModel: AllocatorModel {
    private struct Frame {
        var start: Int
        var size: Int
        var previousCursor: Int
    }

    let subject: StackAllocator
    private let other: StackAllocator
    private let base: Int
    private var frames: [Frame] = []
    private var cursor = 0
    private var markers: [StackAllocator.Marker] = []
    /// Bytes of canary after each allocation (hardened), else 0.
    private let canary: Int

    init(capacity: Int, configuration: StackAllocator.Configuration) throws(AllocError) {
        subject = try StackAllocator(capacity: capacity, configuration: configuration)
        other = try StackAllocator(capacity: 64, configuration: configuration)
        canary = configuration.hardened ? 8 : 0
        let probe = try Layout(size: 0, alignment: 1)
        let first = try subject.allocate(probe)
        base = Int(bitPattern: first) - StackAllocator.headerSize
        try subject.deallocate(first, layout: probe)
    }

    var bounds: Range<Int>? { base..<(base + subject.capacity) }
    var observed: ObservedState { ObservedState(used: subject.used, statistics: subject.statistics) }

    func predictAllocate(_ layout: Layout) -> Prediction {
        let start = alignedStart(layout)
        return layout.size <= subject.capacity - start - canary
            ? .success(address: base + start) : .failure(.arenaExhausted)
    }

    func didAllocate(at address: Int, _ layout: Layout) {
        frames.append(Frame(start: address - base, size: layout.size, previousCursor: cursor))
        cursor = address - base + layout.size + canary
    }

    func predictDeallocate(at address: Int, _ layout: Layout) -> Prediction {
        let offset = address - base
        guard let top = frames.last else { return .failure(.invalidPointer) }
        if offset == top.start {
            return offset + layout.size + canary == cursor ? .succeeds : .failure(.invalidPointer)
        }
        return offset > 0 && offset < top.start ? .failure(.lifoViolation) : .failure(.invalidPointer)
    }

    func didDeallocate(at address: Int, _ layout: Layout) -> Int? {
        let top = frames.removeLast()
        cursor = top.previousCursor
        while let marker = markers.last, marker.used > cursor { markers.removeLast() }
        return address
    }

    func predictReallocate(at address: Int, from old: Layout, to new: Layout) -> Prediction? {
        if case .failure(let code) = predictDeallocate(at: address, old) { return .failure(code) }
        let top = frames.last!
        let start = Self.alignUp(base + top.previousCursor + StackAllocator.headerSize, new.alignment) - base
        return new.size <= subject.capacity - start - canary
            ? .success(address: base + start) : .failure(.arenaExhausted)
    }

    /// The top is popped and pushed again, wherever it lands.
    func didReallocate(from old: Int, _ oldLayout: Layout, to new: Int, _ newLayout: Layout) {
        _ = didDeallocate(at: old, oldLayout)
        didAllocate(at: new, newLayout)
    }

    func takeRestorePoint() throws(AllocError) -> StackAllocator.Marker? {
        let marker = subject.mark()
        if markers.last != marker { markers.append(marker) }
        return marker
    }

    func foreignRestorePoint() -> StackAllocator.Marker? { other.mark() }

    func predictRestore(_ marker: StackAllocator.Marker) -> Prediction {
        if markers.contains(marker) { return .succeeds }
        // A marker above the top is a LIFO violation before it is a stale one; the other
        // stack's markers (at 0) are foreign.
        return marker.used > cursor ? .failure(.lifoViolation) : .failure(.invalidState)
    }

    func restore(to marker: StackAllocator.Marker) throws(AllocError) { try subject.release(to: marker) }

    func didRestore(to marker: StackAllocator.Marker) {
        markers.removeSubrange((markers.firstIndex(of: marker)! + 1)...)
        while let top = frames.last, top.previousCursor >= marker.used { frames.removeLast() }
        cursor = marker.used
    }

    func reset() throws(AllocError) {
        subject.reset()
        frames.removeAll()
        cursor = 0
        markers.removeAll()
    }

    func checkState() throws(FuzzFailure) {
        try require(subject.used == cursor, "stack used \(subject.used), model \(cursor)")
    }

    private func alignedStart(_ layout: Layout) -> Int {
        Self.alignUp(base + cursor + StackAllocator.headerSize, layout.alignment) - base
    }

    private static func alignUp(_ address: Int, _ alignment: Int) -> Int {
        (address + alignment - 1) / alignment * alignment
    }
}
