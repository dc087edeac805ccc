import NebulaMemory

/// A pool as a set of blocks: those handed out and not returned are in use, every other block
/// it ever handed out is free (a second free of it is a double free), and nothing else is a block.
final class PoolModel<Subject: ResettableAllocator>: AllocatorModel {
    typealias RestorePoint = Never

    let subject: Subject
    private let blockSize: Int
    private let blockAlignment: Int
    private let maxBlocks: Int
    private let observe: (Subject) -> ObservedState
    private var inUse: Set<Int> = []
    private var known: Set<Int> = []

    init(_ subject: Subject, _ shape: PoolShape, observe: @escaping (Subject) -> ObservedState) {
        self.subject = subject
        blockSize = shape.blockSize
        blockAlignment = shape.blockAlignment
        maxBlocks = shape.maxBlocks
        self.observe = observe
    }

    var observed: ObservedState { observe(subject) }

    func predictAllocate(_ layout: Layout) -> Prediction {
        if !fits(layout) { return .failure(.invalidLayout) }
        return inUse.count < maxBlocks ? .succeeds : .failure(.poolExhausted)
    }

    func didAllocate(at address: Int, _ layout: Layout) {
        inUse.insert(address)
        known.insert(address)
    }

    func predictDeallocate(at address: Int, _ layout: Layout) -> Prediction {
        if !fits(layout) { return .failure(.invalidLayout) }
        if inUse.contains(address) { return .succeeds }
        return known.contains(address) ? .failure(.doubleFree) : .failure(.invalidPointer)
    }

    func didDeallocate(at address: Int, _ layout: Layout) -> Int? {
        inUse.remove(address)
        return nil
    }

    func predictReallocate(at address: Int, from old: Layout, to new: Layout) -> Prediction? {
        fits(new) ? .success(address: address) : .failure(.invalidLayout)
    }

    func reset() throws(AllocError) {
        try subject.reset()
        inUse.removeAll()
    }

    func checkState() throws(FuzzFailure) {
        let used = observe(subject).used
        try require(used == inUse.count, "pool has \(used) blocks in use, model \(inUse.count)")
    }

    private func fits(_ layout: Layout) -> Bool {
        layout.size <= blockSize && layout.alignment <= blockAlignment
    }
}

/// A pool's geometry and configuration, decoded from the input.
struct PoolShape {
    var blockSize: Int
    var blockAlignment: Int
    var blockCount: Int
    var configuration: PoolAllocator.Configuration
    /// The most blocks the pool may hold: `blockCount`, or four times that when it grows.
    var maxBlocks: Int

    init(decoding input: inout FuzzInput) {
        blockSize = input.pick([1, 8, 24, 64, 100, 256])
        blockAlignment = input.pick([8, 16, 64])
        blockCount = input.pick([1, 4, 16, 64])
        let growing = input.byte() % 2 == 0
        maxBlocks = growing ? blockCount * 4 : blockCount
        let flags = input.byte()
        configuration = PoolAllocator.Configuration(
            growth: growing ? .growing(maxBlockCount: maxBlocks) : .fixed, debugFill: flags % 2 == 0,
            hardened: flags & 2 != 0)
    }
}

extension PoolAllocator {
    convenience init(_ shape: PoolShape) throws(AllocError) {
        try self.init(
            blockSize: shape.blockSize, blockAlignment: shape.blockAlignment, blockCount: shape.blockCount,
            configuration: shape.configuration)
    }
}

extension ConcurrentPoolAllocator {
    convenience init(_ shape: PoolShape) throws(AllocError) {
        try self.init(
            blockSize: shape.blockSize, blockAlignment: shape.blockAlignment, blockCount: shape.blockCount,
            configuration: ConcurrentPoolAllocator.Configuration(shape.configuration))
    }
}
