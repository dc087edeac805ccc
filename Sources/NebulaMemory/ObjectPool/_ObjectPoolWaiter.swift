/// A checkout of an ``AsyncObjectPool`` waiting for an object.
@usableFromInline
struct _ObjectPoolWaiter: Sendable {
    let id: UInt64
    let priority: Int
    let continuation: CheckedContinuation<_ObjectPoolGrant, any Error>
}
