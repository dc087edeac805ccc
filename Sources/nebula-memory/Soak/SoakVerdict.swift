/// Whether the resident set stayed flat after warm-up: the judgement of `nebula-memory soak`,
/// a function of plain numbers so that it can be tested without running anything.
///
/// The baseline is the largest sample of the warm-up (allocators grow lazily to their working
/// size, and the warm-up is there to let them); when no sample falls in the warm-up, the first
/// sample is the baseline. Every later sample must stay within `baseline × (1 + tolerance)`.
struct SoakVerdict: Equatable {
    /// One reading of the resident set.
    struct Sample: Equatable, Encodable {
        /// Seconds since the run started.
        var elapsed: Double
        /// Executions finished by then.
        var executions: Int
        /// Resident set size, in bytes.
        var residentBytes: Int
    }

    /// The baseline: the largest resident set seen during the warm-up.
    let baseline: Int
    /// The largest resident set after the warm-up, or nil when no sample came after it.
    let maxAfterWarmup: Int?
    /// The most a sample after the warm-up may be.
    let ceiling: Int
    /// The samples after the warm-up that passed the ceiling, in order.
    let overLimit: [Sample]

    /// Judges `samples` (in time order) with the warm-up ending at `warmup` seconds.
    ///
    /// `samples` must not be empty (a programmer bug: the soak takes at least one sample).
    init(samples: [Sample], warmup: Double, tolerance: Double = 0.05) {
        precondition(!samples.isEmpty, "a soak verdict needs at least one sample")
        let warmupCount = max(1, samples.prefix { $0.elapsed <= warmup }.count)
        let warm = samples.prefix(warmupCount)
        let later = samples.dropFirst(warmupCount)
        baseline = warm.map(\.residentBytes).max() ?? 0
        maxAfterWarmup = later.map(\.residentBytes).max()
        let ceiling = Int((Double(baseline) * (1 + tolerance)).rounded(.down))
        self.ceiling = ceiling
        overLimit = later.filter { $0.residentBytes > ceiling }
    }

    /// No sample after the warm-up passed the ceiling.
    var isFlat: Bool { overLimit.isEmpty }

    /// The largest sample after the warm-up over the baseline (1.0 is no growth), or nil
    /// without such samples.
    var ratio: Double? {
        guard let maxAfterWarmup, baseline > 0 else { return nil }
        return Double(maxAfterWarmup) / Double(baseline)
    }
}
