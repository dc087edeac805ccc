/// The rounds of one subject on one workload, summarized as BENCHMARKS.md asks.
struct BenchResult {
    let workload: String
    let subject: String
    let unit: String
    /// Nanoseconds per unit, one value per round.
    let samples: [Double]

    var median: Double {
        let sorted = samples.sorted()
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }

    var min: Double { samples.min() ?? 0 }
    var max: Double { samples.max() ?? 0 }
}
