/// The guard word a hardened allocator writes right after each allocation's bytes.
///
/// Its value mixes a fixed pattern with a secret drawn per allocator and with the address
/// it guards: a program cannot forge it from a known constant, and a canary copied from one
/// place to another (a `memcpy` that ran too far) does not pass either. Stored unaligned, as
/// allocation ends are not aligned.
@usableFromInline
enum _Canary {
    /// Bytes each allocation spends on its canary.
    @inlinable static var size: Int { 8 }

    /// A fresh per-allocator secret.
    @usableFromInline
    static func makeKey() -> UInt64 {
        UInt64.random(in: .min ... .max) ^ 0xA5C3_5A3C_96E1_1E69
    }

    @inlinable
    static func value(key: UInt64, at address: Int) -> UInt64 {
        // The multiplication spreads the address's low bits, so neighbours differ in every byte.
        key ^ UInt64(truncatingIfNeeded: address) &* 0x9E37_79B9_7F4A_7C15
    }

    @inlinable
    static func write(at address: Int, key: UInt64) {
        UnsafeMutableRawPointer(bitPattern: address).unsafelyUnwrapped.storeBytes(
            of: value(key: key, at: address), as: UInt64.self)
    }

    @inlinable
    static func isIntact(at address: Int, key: UInt64) -> Bool {
        UnsafeRawPointer(bitPattern: address).unsafelyUnwrapped.loadUnaligned(as: UInt64.self)
            == value(key: key, at: address)
    }
}
