#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// One thread's sampling state: the bytes left until its next sample, and the random stream
/// the gaps are drawn from.
///
/// Read and written only by the thread holding the slot's index (or under the table's lock
/// for the shared slot of threads without one); `start` and `reset` never touch it, they move
/// the generation on and the owner redraws when it sees that.
struct _ProfilerSlot {
    /// The profiler generation the countdown was drawn for; -1 before the first draw.
    var generation = -1
    /// Bytes to allocate before the next sample; a sample is taken when it reaches 0 or less.
    var countdown = 0
    /// The mean gap of this generation.
    var interval = 1
    /// xorshift64* state, never 0.
    var random: UInt64 = 1

    /// Counts `size` bytes down; returns the mean gap to weigh the allocation with when it is
    /// sampled, nil when it is not.
    mutating func countDown(_ size: Int, slot index: Int, state: _ProfilerState) -> Int? {
        let current = state.generation.load(ordering: .acquiring)
        if generation != current { reseed(generation: current, slot: index, state: state) }
        countdown &-= size
        if countdown > 0 { return nil }
        let used = interval
        countdown = nextGap()
        return used
    }

    /// Starts the stream of this generation: the seed, the slot and the generation mixed, so
    /// that a seeded single-threaded run samples the same allocations every time.
    private mutating func reseed(generation current: Int, slot index: Int, state: _ProfilerState) {
        generation = current
        interval = state.interval.load(ordering: .relaxed)
        var mixed =
            state.seed.load(ordering: .relaxed) ^ (UInt64(truncatingIfNeeded: index) &+ 1) &* 0x9E37_79B9_7F4A_7C15
        mixed ^= UInt64(truncatingIfNeeded: current) &* 0xBF58_476D_1CE4_E5B9
        random = Self.splitMix(mixed) | 1
        countdown = nextGap()
    }

    /// An exponential gap of mean `interval` bytes, at least 1: the distance to the next point
    /// of a Poisson process over the allocated bytes.
    private mutating func nextGap() -> Int {
        random ^= random >> 12
        random ^= random << 25
        random ^= random >> 27
        let bits = random &* 0x2545_F491_4F6C_DD1D
        // Uniform in (0, 1]: never 0, whose logarithm is infinite.
        let uniform = Double((bits >> 11) &+ 1) * 0x1p-53
        let gap = -log(uniform) * Double(interval)
        return gap >= 0x1p62 ? 1 << 62 : Swift.max(1, Int(gap))
    }

    private static func splitMix(_ value: UInt64) -> UInt64 {
        var z = value &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
