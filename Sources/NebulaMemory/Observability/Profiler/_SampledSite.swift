/// What the samples of one site add up to, as estimates of the whole population: each sample
/// counts for the allocations and bytes it stands for.
struct _SampledSite {
    var samples = 0
    var count = 0.0
    var bytes = 0.0
    var liveCount = 0.0
    var liveBytes = 0.0

    /// Counts a sample standing for `count` allocations of `bytes` bytes in all, live for now.
    mutating func add(count: Double, bytes: Double) {
        samples += 1
        self.count += count
        self.bytes += bytes
        liveCount += count
        liveBytes += bytes
    }
}
