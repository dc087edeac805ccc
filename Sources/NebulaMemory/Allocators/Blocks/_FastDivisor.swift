/// Division by a fixed divisor with one multiplication (Lemire, Kaser & Kurz, "Faster
/// remainder by direct computation", 2019): exact for every 32-bit dividend and divisor ≥ 2.
///
/// A pool maps a pointer to its block index on every validated free; a hardware division
/// there costs 20–40 cycles, more than the rest of the free.
@usableFromInline
struct _FastDivisor {
    @usableFromInline let magic: UInt64

    @usableFromInline
    init(_ divisor: Int) {
        precondition(divisor >= 2 && divisor <= Int(UInt32.max), "divisor out of range")
        magic = UInt64.max / UInt64(divisor) &+ 1
    }

    /// `dividend / divisor` for `0 <= dividend <= UInt32.max`.
    @inlinable
    func divide(_ dividend: Int) -> Int {
        Int(truncatingIfNeeded: magic.multipliedFullWidth(by: UInt64(truncatingIfNeeded: dividend)).high)
    }
}
