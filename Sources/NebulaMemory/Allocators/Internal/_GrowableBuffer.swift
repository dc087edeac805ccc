/// Trivial elements in one C buffer that grows geometrically and is reused once emptied: the
/// storage of restore point stacks and canary logs, so recording an entry costs no heap
/// allocation. Its owner frees it with ``deallocate()``.
@usableFromInline
struct _GrowableBuffer<Element> {
    @usableFromInline var elements: UnsafeMutablePointer<Element>?
    @usableFromInline var count = 0
    @usableFromInline var capacity = 0
    /// The capacity of the first allocation.
    @usableFromInline let initialCapacity: Int

    @usableFromInline
    init(initialCapacity: Int) {
        self.initialCapacity = initialCapacity
    }

    /// Makes room for one more element; false when the C allocator has no memory.
    @inlinable
    mutating func reserveOne() -> Bool {
        count < capacity || grow()
    }

    /// Doubles the buffer; false when the C allocator has no memory (nothing changes then).
    @usableFromInline
    @inline(never)
    mutating func grow() -> Bool {
        let newCapacity = Swift.max(initialCapacity, capacity * 2)
        guard let grown = _RawMemory.regrow(elements, count: count, capacity: newCapacity) else { return false }
        elements = grown
        capacity = newCapacity
        return true
    }

    /// Appends `element` after ``reserveOne()`` made room.
    @inlinable
    mutating func append(_ element: Element) {
        elements.unsafelyUnwrapped[count] = element
        count &+= 1
    }

    @inlinable
    subscript(index: Int) -> Element {
        elements.unsafelyUnwrapped[index]
    }

    /// The newest element, or nil.
    @inlinable
    var last: Element? {
        count > 0 ? elements.unsafelyUnwrapped[count &- 1] : nil
    }

    @usableFromInline
    mutating func deallocate() {
        _RawMemory.free(elements)
        elements = nil
        count = 0
        capacity = 0
    }
}
