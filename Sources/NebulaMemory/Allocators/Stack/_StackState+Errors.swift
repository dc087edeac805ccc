extension _StackState {
    /// Bytes the stack holds.
    var capacity: Int { limit &- base }

    /// `error` with the stack's kind, capacity, used and available bytes filled in.
    mutating func describing(_ error: AllocError) -> AllocError {
        var error = error
        error.allocatorKind = .stack
        error.capacity = capacity
        error.used = position
        error.available = capacity - position
        return error
    }

    /// The error for freeing or resizing `pointer` with `layout`, which is not the top
    /// allocation of that size: a size mismatch, an allocation below the top, or a pointer
    /// the stack does not hold.
    mutating func notTheTop(_ pointer: UnsafeMutableRawPointer, layout: Layout) -> AllocError {
        let address = Int(bitPattern: pointer)
        if address == top, address != base {
            return describing(
                AllocError(
                    .invalidPointer, "layout size \(layout.size) does not match the top allocation", layout: layout,
                    notes: ["the top allocation has \(cursor - address - canaryBytes) bytes"]))
        }
        if address > base, address < top {
            return describing(
                AllocError(
                    .lifoViolation, "pointer \(pointer) is below the top of the stack", layout: layout,
                    notes: ["only the newest allocation can be freed or resized; nothing changed"]))
        }
        return describing(AllocError.foreignPointer(pointer, layout: layout, allocatorKind: .stack))
    }

    /// The error for a request the stack has no room for; counts the failure.
    mutating func full(_ layout: Layout) -> AllocError {
        failed(
            describing(
                AllocError(
                    .arenaExhausted, "stack has insufficient space", layout: layout,
                    suggestion: "create the stack with a larger capacity, or pop frames sooner",
                    notes: ["each allocation also takes a \(StackAllocator.headerSize)-byte header"])))
    }

    /// Throws for the first damaged canary among the allocations above `lowest`, newest first.
    mutating func checkCanaries(above lowest: Int) throws(AllocError) {
        var start = top
        var end = cursor
        while start > lowest {
            let canary = end - _Canary.size
            if !_Canary.isIntact(at: canary, key: canaryKey) {
                throw AllocError.heapCorruption(
                    offset: start - base, size: canary - start, allocatorKind: .stack, capacity: capacity,
                    used: position, available: capacity - position)
            }
            let header = _StackHeader.load(below: start)
            end = header.previousCursor
            start = header.previousTop
        }
    }
}
