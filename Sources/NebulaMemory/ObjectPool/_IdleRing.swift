/// A ring of values with a fixed capacity until the pool is resized: the idle objects of a
/// pool. Pushes go to the back; LIFO pools pop the back, FIFO pools the front, and eviction
/// always looks at the front (the object idle longest). No allocation but in `init` and
/// `grow(to:)`.
@usableFromInline
struct _IdleRing<Element> {
    @usableFromInline var storage: UnsafeMutablePointer<Element>
    @usableFromInline var capacity: Int
    @usableFromInline var head = 0
    @usableFromInline var count = 0

    @usableFromInline
    init(capacity: Int) {
        self.capacity = capacity
        storage = .allocate(capacity: capacity)
    }

    @inlinable
    mutating func pushBack(_ element: Element) {
        precondition(count < capacity, "idle ring overflow")
        var index = head &+ count
        if index >= capacity { index &-= capacity }
        (storage + index).initialize(to: element)
        count &+= 1
    }

    @inlinable
    mutating func popBack() -> Element? {
        guard count > 0 else { return nil }
        count &-= 1
        var index = head &+ count
        if index >= capacity { index &-= capacity }
        return (storage + index).move()
    }

    @inlinable
    mutating func popFront() -> Element? {
        guard count > 0 else { return nil }
        let element = (storage + head).move()
        head &+= 1
        if head == capacity { head = 0 }
        count &-= 1
        if count == 0 { head = 0 }
        return element
    }

    /// `pushBack` of a ring whose head is 0 and that has room: a stack push.
    @inlinable
    mutating func pushTop(_ element: Element) {
        assert(head == 0 && count < capacity)
        (storage + count).initialize(to: element)
        count &+= 1
    }

    /// `popBack` of a ring whose head is 0 and that holds an element: a stack pop.
    @inlinable
    mutating func popTop() -> Element {
        assert(head == 0 && count > 0)
        count &-= 1
        return (storage + count).move()
    }

    @inlinable
    var first: Element? {
        count > 0 ? storage[head] : nil
    }

    /// Moves the elements, in order, to storage for `newCapacity` (at least `count`).
    @usableFromInline
    mutating func grow(to newCapacity: Int) {
        let moved = UnsafeMutablePointer<Element>.allocate(capacity: newCapacity)
        for offset in 0..<count {
            var index = head + offset
            if index >= capacity { index -= capacity }
            (moved + offset).moveInitialize(from: storage + index, count: 1)
        }
        storage.deallocate()
        storage = moved
        capacity = newCapacity
        head = 0
    }

    @usableFromInline
    func deallocate() {
        storage.deallocate()
    }
}
