/// The subjects `nebula-memory bench` knows, by their names in BENCHMARKS.md, in table order.
enum BenchSubjectKind: String, CaseIterable {
    case system
    case cReference = "c-reference"
    case bump
    case pool
    case stack
    case bumpPerformance = "bump-performance"
    case poolPerformance = "pool-performance"
    case stackPerformance = "stack-performance"
    case bumpHardened = "bump-hardened"
    case concurrentBump = "concurrent-bump"
    case concurrentPool = "concurrent-pool"
    case swiftClass = "swift-class"
    case objectPool = "object-pool"
    case concurrentObjectPool = "concurrent-object-pool"
    case budget
    case budgetReserveAhead = "budget-reserve-ahead"
    case context
    case registry
}
