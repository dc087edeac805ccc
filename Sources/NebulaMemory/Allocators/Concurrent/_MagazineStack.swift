/// A stack of magazines linked through their headers.
@usableFromInline
struct _MagazineStack {
    @usableFromInline var top: _PoolMagazine?

    @usableFromInline
    init() {}

    @usableFromInline
    mutating func push(_ magazine: _PoolMagazine) {
        magazine.next = top
        top = magazine
    }

    @usableFromInline
    mutating func pop() -> _PoolMagazine? {
        guard let magazine = top else { return nil }
        top = magazine.next
        return magazine
    }

    /// Releases every magazine on the stack.
    @usableFromInline
    mutating func releaseAll() {
        while let magazine = pop() { magazine.release() }
    }
}
