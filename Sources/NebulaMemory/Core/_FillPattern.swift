import Glibc

/// Debug fill patterns: fresh memory and reclaimed memory look different in a debugger.
@usableFromInline
enum _FillPattern {
    @inlinable static var fresh: UInt8 { 0xCD }
    @inlinable static var reclaimed: UInt8 { 0xDD }
}
