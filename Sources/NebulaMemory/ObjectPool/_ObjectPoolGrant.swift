/// What a waiting checkout of an ``AsyncObjectPool`` is given when it is served.
@usableFromInline
enum _ObjectPoolGrant: Sendable {
    /// An idle object, checked out, and its address (read under the lock).
    case object(slot: Int, address: UInt)
    case create(slot: Int, created: Duration)
}
