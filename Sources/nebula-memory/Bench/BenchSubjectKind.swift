/// The subjects `nebula-memory bench` knows, by their names in BENCHMARKS.md.
enum BenchSubjectKind: String, CaseIterable {
    case system
    case bump
    case pool
    case stack
    case concurrentBump = "concurrent-bump"
    case concurrentPool = "concurrent-pool"
}
