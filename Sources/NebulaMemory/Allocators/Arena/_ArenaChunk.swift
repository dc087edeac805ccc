/// The header at the start of each block of memory an arena takes from the system.
///
/// Chunks form a doubly linked list in allocation order. Those after the current chunk are
/// spares: kept after a restore so that a scope crossing a chunk boundary does not go back
/// to `malloc` on every iteration.
@usableFromInline
struct _ArenaChunk {
    @usableFromInline var previous: UnsafeMutablePointer<_ArenaChunk>?
    @usableFromInline var next: UnsafeMutablePointer<_ArenaChunk>?
    /// Usable bytes after the header.
    @usableFromInline var capacity: Int
    /// The arena-wide position of the first usable byte: positions grow across chunks, which
    /// keeps checkpoints of different chunks comparable.
    @usableFromInline var base: Int
    /// Where allocation stopped when the arena moved on to the next chunk.
    @usableFromInline var usedEnd: Int

    /// Header size, a multiple of the chunk alignment so that usable memory starts aligned.
    @inlinable static var headerSize: Int { _alignUp(MemoryLayout<_ArenaChunk>.stride, alignment) }
    @inlinable static var alignment: Int { 64 }

    @inlinable
    static func start(of chunk: UnsafeMutablePointer<_ArenaChunk>) -> Int {
        Int(bitPattern: chunk) &+ headerSize
    }

    @inlinable
    static func end(of chunk: UnsafeMutablePointer<_ArenaChunk>) -> Int {
        start(of: chunk) &+ chunk.pointee.capacity
    }

    /// Takes a chunk of `capacity` usable bytes from the system; nil when it has none.
    @usableFromInline
    static func make(capacity: Int, base: Int, previous: UnsafeMutablePointer<_ArenaChunk>?)
        -> UnsafeMutablePointer<_ArenaChunk>?
    {
        let (total, overflow) = capacity.addingReportingOverflow(headerSize)
        guard !overflow, let raw = _RawMemory.allocate(byteCount: total, alignment: alignment) else { return nil }
        let chunk = raw.bindMemory(to: _ArenaChunk.self, capacity: 1)
        chunk.initialize(
            to: _ArenaChunk(
                previous: previous, next: nil, capacity: capacity, base: base,
                usedEnd: Int(bitPattern: raw) + headerSize))
        return chunk
    }

    /// Frees `chunk` and every chunk after it.
    @usableFromInline
    static func freeChain(from chunk: UnsafeMutablePointer<_ArenaChunk>?) {
        var current = chunk
        while let c = current {
            current = c.pointee.next
            c.deinitialize(count: 1)
            _RawMemory.free(c)
        }
    }

    /// Checks an arena's configuration, charges `budget` for the first chunk and takes it from
    /// the system.
    ///
    /// - Throws: `ALLOC_INVALID_CONFIGURATION` for a capacity or chunk size below 1, or a
    ///   maximum below `capacity`; `ALLOC_BUDGET_EXCEEDED` when the budget denies it;
    ///   `ALLOC_OUT_OF_MEMORY` when the system has no memory for it (nothing is charged then).
    @usableFromInline
    static func makeFirst(
        capacity: Int, growth: BumpAllocator.Configuration.Growth, budget: MemoryBudget?
    ) throws(AllocError) -> UnsafeMutablePointer<_ArenaChunk> {
        guard capacity > 0 else {
            throw AllocError.badConfiguration("capacity must be at least 1 byte", value: "capacity: \(capacity)")
        }
        if case .chunked(let chunkSize, let maxCapacity) = growth {
            guard chunkSize > 0 else {
                throw AllocError.badConfiguration("chunkSize must be at least 1 byte", value: "chunkSize: \(chunkSize)")
            }
            guard maxCapacity >= capacity else {
                throw AllocError.badConfiguration(
                    "maxCapacity must be at least the initial capacity",
                    value: "capacity: \(capacity), maxCapacity: \(maxCapacity)")
            }
        }
        if let budget, let denial = budget.chargeChunk(capacity) { throw denial }
        guard let first = make(capacity: capacity, base: 0, previous: nil) else {
            budget?.refundChunk(capacity)
            throw AllocError.systemOutOfMemory(bytes: capacity, allocatorKind: .arena)
        }
        return first
    }

    /// The chunk to continue in after `chunk` for a request of `layout`: its spare successor
    /// when that is large enough, else a new chunk within the growth limit (spares too small
    /// are freed once it exists, so a failure changes nothing). `capacity` is the arena's
    /// total and is kept up to date, and so is what `budget` is charged: the same total.
    /// Nil when the arena may not grow, the budget denies the chunk (then `failure` holds
    /// the denial) or the system has no memory (then `failure` says so).
    @usableFromInline
    static func chunk(
        after chunk: UnsafeMutablePointer<_ArenaChunk>, fitting layout: Layout,
        growth: BumpAllocator.Configuration.Growth, capacity: inout Int, budget: MemoryBudget?,
        failure: inout _ChunkFailure?
    ) -> UnsafeMutablePointer<_ArenaChunk>? {
        guard case .chunked(let chunkSize, let maxCapacity) = growth else { return nil }
        // Room for the worst-case padding, so the request surely fits the new chunk's start.
        let (needed, overflow) = layout.size.addingReportingOverflow(layout.alignment)
        guard !overflow else { return nil }
        if let spare = chunk.pointee.next, spare.pointee.capacity >= needed {
            return spare
        }
        let spareCapacity = Self.spareCapacity(after: chunk)
        let size = Swift.max(chunkSize, needed)
        guard size <= maxCapacity - (capacity - spareCapacity) else { return nil }
        if let budget, let denial = budget.chargeChunk(size) {
            failure = .budget(denial)
            return nil
        }
        let base = chunk.pointee.base &+ chunk.pointee.capacity
        guard let fresh = make(capacity: size, base: base, previous: chunk) else {
            budget?.refundChunk(size)
            failure = .system
            return nil
        }
        budget?.refundChunk(spareCapacity)
        freeChain(from: chunk.pointee.next)
        chunk.pointee.next = fresh
        capacity += size - spareCapacity
        return fresh
    }
}

extension _ArenaChunk {
    /// Usable bytes of the spare chunks after `chunk` (kept by a restore for reuse).
    @usableFromInline
    static func spareCapacity(after chunk: UnsafeMutablePointer<_ArenaChunk>) -> Int {
        var total = 0
        var spare = chunk.pointee.next
        while let each = spare {
            total += each.pointee.capacity
            spare = each.pointee.next
        }
        return total
    }
}

extension _ArenaChunk {
    /// The start of the chunk region holding `[address, address + size)` when that range lies
    /// in memory the arena has handed out — the `newest` chunk up to `newestEnd`, older chunks
    /// up to their used end — else nil.
    @usableFromInline
    static func liveRegion(
        holding address: Int, size: Int, newest: UnsafeMutablePointer<_ArenaChunk>, newestEnd: Int
    ) -> Int? {
        var current: UnsafeMutablePointer<_ArenaChunk>? = newest
        while let chunk = current {
            let start = Self.start(of: chunk)
            let end = chunk == newest ? newestEnd : chunk.pointee.usedEnd
            if address >= start, address <= end {
                return size <= end - address ? start : nil
            }
            current = chunk.pointee.previous
        }
        return nil
    }
}

extension _ArenaChunk {
    /// Zeroes (`zero`) or fills with the reclaimed pattern the memory handed out from
    /// `address` in `chunk` through `newestEnd` in `newest`, walking the chunks between (each
    /// older one up to its used end).
    @usableFromInline
    static func scrub(
        from chunk: UnsafeMutablePointer<_ArenaChunk>, address: Int,
        through newest: UnsafeMutablePointer<_ArenaChunk>, newestEnd: Int, zero: Bool
    ) {
        var current: UnsafeMutablePointer<_ArenaChunk>? = chunk
        var from = address
        while let each = current {
            let end = each == newest ? newestEnd : each.pointee.usedEnd
            if end > from { scrub(from, count: end - from, zero: zero) }
            if each == newest { break }
            current = each.pointee.next
            if let next = current { from = start(of: next) }
        }
    }

    /// Zeroes (`zero`) or fills with the reclaimed pattern `count` bytes at `address`.
    @usableFromInline
    static func scrub(_ address: Int, count: Int, zero: Bool) {
        let pointer = UnsafeMutableRawPointer(bitPattern: address).unsafelyUnwrapped
        if zero {
            MemoryOps.secureZero(pointer, count: count)
        } else {
            _RawMemory.fill(pointer, byte: _FillPattern.reclaimed, count: count)
        }
    }
}

extension BumpAllocator.Configuration.Growth {
    /// The most an arena that holds `capacity` bytes may ever hold under this growth.
    @usableFromInline
    func maxCapacity(holding capacity: Int) -> Int {
        switch self {
        case .fixed: capacity
        case .chunked(_, let maxCapacity): maxCapacity
        }
    }
}
