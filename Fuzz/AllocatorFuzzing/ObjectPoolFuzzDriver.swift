import NebulaMemory

/// Runs checkouts, returns, detaches, batches, prefills, drains, clock moves, resizes, adds and
/// a close against an `ObjectPool` and checks what any correct pool must do: a checkout fails
/// exactly when `capacity` objects are out or the pool is closed (and then changes nothing),
/// never hands out an object that is out, detached or was returned unusable, always hands out
/// a prepared (clean) object, reuses an idle object rather than create one when no time limit
/// can have expired it, and keeps its counts within capacity and `maxIdle`.
final class ObjectPoolFuzzDriver: FuzzDriver {
    final class Node: Poolable {
        let id: Int
        var dirty = false
        var reusable = true

        init(id: Int) { self.id = id }

        func prepareForReuse() {
            dirty = false
        }

        var isReusable: Bool { reusable }
    }

    private let pool: ObjectPool<Node>
    private let clock = ManualPoolClock()
    private var capacity: Int
    private let configuredMaxIdle: Int?
    private var maxIdle: Int
    private let timed: Bool
    private var closed = false
    /// The largest capacity a resize picks: room for that many handles.
    private static let capacities = [1, 2, 3, 8]
    /// Objects the factory made so far, counted by the factory itself.
    private let made = Counter()
    /// Handles of the objects out, in `out` order; noncopyable, so kept in raw storage.
    private let handles: UnsafeMutablePointer<Pooled<Node>>
    private var out: [Int] = []
    /// Objects that must never come back: detached, or returned unusable.
    private var gone: Set<Int> = []
    private(set) var trace: [String] = []

    init(_ input: inout FuzzInput) throws(FuzzFailure) {
        capacity = input.pick(Self.capacities)
        let maxIdle = input.pick([nil, 0, 1, 2] as [Int?])
        configuredMaxIdle = maxIdle
        self.maxIdle = min(maxIdle ?? capacity, capacity)
        timed = input.byte() % 2 == 0
        let configuration = ObjectPoolConfiguration<Node>(
            maxIdle: maxIdle, idleTimeout: timed ? .seconds(5) : nil, maxLifetime: timed ? .seconds(7) : nil,
            order: input.byte() % 2 == 0 ? .lifo : .fifo, clock: clock.poolClock)
        handles = .allocate(capacity: Self.capacities.max()!)
        let made = made
        do throws(AllocError) {
            pool = try ObjectPool(capacity: capacity, configuration: configuration) {
                made.value += 1
                return Node(id: made.value)
            }
        } catch {
            handles.deallocate()
            throw FuzzFailure("creating the pool failed: \(error)")
        }
    }

    deinit {
        handles.deinitialize(count: out.count)
        handles.deallocate()
    }

    func checkInvariants() throws(FuzzFailure) {
        try require(pool.inUseCount == out.count, "pool has \(pool.inUseCount) out, model \(out.count)")
        try require(pool.capacity == capacity && pool.isClosed == closed, "capacity or closed differ from the model")
        try require(!closed || pool.idleCount == 0, "a closed pool keeps \(pool.idleCount) idle")
        try require(
            pool.idleCount <= min(maxIdle, max(0, capacity - out.count)),
            "pool has \(pool.idleCount) idle with \(out.count) of \(capacity) out, maxIdle \(maxIdle)")
    }

    func step(_ input: inout FuzzInput) throws(FuzzFailure) {
        let opcode = input.byte() % 11
        let argument = Int(input.byte())
        switch opcode {
        case 0, 1:
            trace.append("checkout")
            try checkout()
        case 2:
            guard !out.isEmpty else { return }
            let index = argument % out.count
            let node = handles[index].value
            node.dirty = true
            node.reusable = argument % 4 != 0
            trace.append("return \(node.id)\(node.reusable ? "" : " (unusable)")")
            if !node.reusable { gone.insert(node.id) }
            _ = remove(at: index)  // the handle ends here: the object goes back
        case 3:
            guard !out.isEmpty else { return }
            let index = argument % out.count
            trace.append("detach \(out[index])")
            gone.insert(out[index])
            let node = remove(at: index).detach()
            try require(
                pool.idleCount <= max(0, capacity - out.count), "detached object \(node.id) still counts as out")
        case 4:
            let count = argument % 6 - 1
            trace.append("checkout(count: \(count))")
            try checkoutBatch(count)
        case 5:
            let count = argument % 5
            trace.append("prefill(\(count))")
            let idle = pool.idleCount
            let created = pool.prefill(count)
            try require(created >= 0 && pool.idleCount == idle + created, "prefill(\(count)) made \(created)")
            try require(created == 0 || pool.idleCount <= count, "prefill(\(count)) went past \(count) idle")
        case 6:
            trace.append(argument % 2 == 0 ? "drain" : "evictIdle")
            let idle = pool.idleCount
            let dropped = argument % 2 == 0 ? pool.drain() : pool.evictIdle()
            try require(dropped >= 0 && pool.idleCount == idle - dropped, "dropped \(dropped) of \(idle) idle")
            if argument % 2 == 0 { try require(pool.idleCount == 0, "drain left \(pool.idleCount) idle") }
            if !timed && argument % 2 == 1 { try require(dropped == 0, "evictIdle dropped \(dropped) without limits") }
        case 7:
            trace.append("advance clock by \(argument % 9) s")
            clock.advance(by: .seconds(argument % 9))
        case 8:
            let newCapacity = Self.capacities[argument % Self.capacities.count]
            trace.append("resize(capacity: \(newCapacity))")
            try resize(to: newCapacity)
        case 9:
            trace.append("add")
            try add()
        default:
            // Rarely: a closed pool ends what the input can test.
            guard argument % 16 == 0 else { return }
            trace.append("close")
            pool.close()
            pool.close()
            closed = true
        }
    }

    private func resize(to newCapacity: Int) throws(FuzzFailure) {
        do throws(AllocError) {
            try pool.resize(capacity: newCapacity)
        } catch {
            try require(closed && error.code == .invalidState, "resize threw \(error.code.rawValue)")
            return
        }
        try require(!closed, "a closed pool was resized")
        capacity = newCapacity
        maxIdle = min(configuredMaxIdle ?? capacity, capacity)
        try require(pool.idleCount <= min(maxIdle, max(0, capacity - out.count)), "resize kept too many idle")
    }

    private func add() throws(FuzzFailure) {
        let idle = pool.idleCount
        made.value += 1
        let node = Node(id: made.value)
        do throws(AllocError) {
            try pool.add(node)
        } catch {
            let full = out.count + idle >= capacity || idle >= maxIdle
            try require(
                closed ? error.code == .invalidState : (error.code == .poolExhausted && full),
                "add threw \(error.code.rawValue) with \(out.count) out, \(idle) idle of \(capacity)")
            try require(pool.idleCount == idle, "a failed add changed the pool")
            return
        }
        try require(!closed && pool.idleCount == idle + 1, "add succeeded on a full or closed pool")
    }

    private func checkout() throws(FuzzFailure) {
        let idle = pool.idleCount
        let before = pool.statistics
        let madeBefore = made.value
        let pooled: Pooled<Node>
        do throws(AllocError) {
            pooled = try pool.checkout()
        } catch {
            let expected: AllocError.Code = closed ? .invalidState : .poolExhausted
            try require(
                error.code == expected && (closed || out.count >= capacity),
                "checkout threw \(error.code.rawValue) with \(out.count) of \(capacity) out")
            try require(
                pool.idleCount == idle && pool.statistics == before, "a failed checkout changed the pool")
            return
        }
        try require(!closed && out.count < capacity, "checkout succeeded with all \(capacity) out, or closed")
        let node = pooled.value
        try check(node)
        try require(timed || idle == 0 || made.value == madeBefore, "created object \(node.id) while one was idle")
        handles.advanced(by: out.count).initialize(to: pooled)
        out.append(node.id)
    }

    private func checkoutBatch(_ count: Int) throws(FuzzFailure) {
        let idle = pool.idleCount
        let madeBefore = made.value
        var nodes: [Node] = []
        do throws(AllocError) {
            let batch = try pool.checkout(count: count)
            for index in 0..<batch.count { nodes.append(batch[index]) }
        } catch {
            let expected: AllocError.Code = count < 0 ? .invalidLayout : closed ? .invalidState : .poolExhausted
            try require(
                error.code == expected && (count < 0 || closed || count > capacity - out.count),
                "checkout(count: \(count)) threw \(error.code.rawValue) with \(out.count) of \(capacity) out")
            try require(pool.idleCount == idle && pool.inUseCount == out.count, "a failed batch changed the pool")
            return
        }
        try require(
            count >= 0 && (count == 0 || !closed) && count <= capacity - out.count,
            "checkout(count: \(count)) succeeded")
        // The batch went back when its scope ended; what it held is checked as handed out.
        var ids: Set<Int> = []
        try require(
            timed || made.value - madeBefore <= max(0, count - idle), "a batch created objects while some were idle")
        for node in nodes {
            try check(node)
            try require(ids.insert(node.id).inserted, "a batch holds object \(node.id) twice")
        }
        try require(nodes.count == count, "a batch of \(count) holds \(nodes.count)")
    }

    /// A handed-out object must be clean, not out, and not gone.
    private func check(_ node: Node) throws(FuzzFailure) {
        try require(!node.dirty, "object \(node.id) was handed out without prepareForReuse")
        try require(!out.contains(node.id), "object \(node.id) was handed out while already out")
        try require(!gone.contains(node.id), "object \(node.id) came back after it was detached or unusable")
    }

    final class Counter {
        var value = 0
    }

    private func remove(at index: Int) -> Pooled<Node> {
        let pooled = handles.advanced(by: index).move()
        let last = out.count - 1
        if index != last { handles.advanced(by: index).initialize(to: handles.advanced(by: last).move()) }
        out.swapAt(index, last)
        out.removeLast()
        return pooled
    }
}
