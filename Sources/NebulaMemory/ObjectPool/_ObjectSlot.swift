/// What an object pool knows of a slot besides its object.
@usableFromInline
struct _ObjectSlot {
    /// In a LIFO pool without time-based settings an idle or out object's slot may say either:
    /// only leak detection, which is off there, reads `.out`.
    @usableFromInline
    enum State: UInt8 {
        case empty
        case reserved
        case idle
        case out
    }

    @usableFromInline var state = State.empty
    @usableFromInline var created = origin
    @usableFromInline var idleSince = origin
    @usableFromInline var outSince = origin
    @usableFromInline var reported = false

    @inlinable static var origin: Duration { Duration(secondsComponent: 0, attosecondsComponent: 0) }

    @usableFromInline
    init() {}

    @usableFromInline
    init(state: State, created: Duration, idleSince: Duration) {
        self.state = state
        self.created = created
        self.idleSince = idleSince
    }
}
