#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The profiler's records, under its lock: the totals by site, the sampled allocations still
/// live by address, and the countdown of threads without a slot of their own.
struct _ProfileTable {
    var sites: [AllocationSite: _SampledSite] = [:]
    var live: [UInt: _LiveSample] = [:]
    var shared = _ProfilerSlot()

    /// Adds a sample of `size` bytes at `address`, weighed for a mean gap of `interval`: an
    /// allocation of s bytes is sampled with probability p = 1 − exp(−s/N), so it stands for
    /// 1/p allocations and s/p bytes, which keeps the estimated totals unbiased.
    ///
    /// - Returns: whether `address` is new to the live table (its filter bucket must count it).
    mutating func add(address: UInt, size: Int, interval: Int, site: AllocationSite) -> Bool {
        let probability = -expm1(-Double(size) / Double(interval))
        let count = 1 / probability
        let bytes = Double(size) / probability
        sites[site, default: _SampledSite()].add(count: count, bytes: bytes)
        // An address still in the table was freed while the profiler was off, and reused.
        let stale = live.updateValue(_LiveSample(site: site, count: count, bytes: bytes), forKey: address)
        if let stale { drop(stale) }
        return stale == nil
    }

    /// Moves the sample at `address` out of the live figures.
    ///
    /// - Returns: whether there was one.
    mutating func remove(address: UInt) -> Bool {
        guard let sample = live.removeValue(forKey: address) else { return false }
        drop(sample)
        return true
    }

    private mutating func drop(_ sample: _LiveSample) {
        sites[sample.site]?.liveCount -= sample.count
        sites[sample.site]?.liveBytes -= sample.bytes
    }
}
