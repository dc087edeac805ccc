/// What a checkout of an object pool's core gets under the lock.
@usableFromInline
enum _ObjectPoolTake {
    /// An idle object, checked out; its address read under the lock (the table of addresses
    /// moves when the pool grows).
    case idle(slot: Int, object: UnsafeMutableRawPointer)
    /// An empty slot, reserved, to create an object in (outside the lock).
    case create(slot: Int, created: Duration)
    case exhausted
    case closed
}
