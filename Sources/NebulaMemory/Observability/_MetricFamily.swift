/// One metric of the Prometheus export: its name, type, help text, and how to read it off a
/// report (`nil` when the report has no such reading).
struct _MetricFamily: Sendable {
    enum Kind: String, Sendable {
        case counter
        case gauge
    }

    let name: String
    let kind: Kind
    let help: String
    let read: @Sendable (MemoryReport) -> Int?

    /// Every metric the library exports, in export order. Names follow the Prometheus
    /// conventions: a `nebula_memory_` prefix, the unit in the name, `_total` on counters.
    static let all: [_MetricFamily] = allocator + budget + objectPool

    private static let allocator: [_MetricFamily] = [
        _MetricFamily(
            name: "nebula_memory_capacity_bytes", kind: .gauge,
            help: "Bytes the allocator holds from the system.", read: { $0.capacityBytes }),
        _MetricFamily(
            name: "nebula_memory_in_use_bytes", kind: .gauge, help: "Bytes allocated and not yet freed.",
            read: { $0.allocator?.bytesInUse }),
        _MetricFamily(
            name: "nebula_memory_peak_in_use_bytes", kind: .gauge, help: "The most bytes in use at once.",
            read: { $0.allocator?.peakBytesInUse }),
        _MetricFamily(
            name: "nebula_memory_allocations_total", kind: .counter, help: "Successful allocations.",
            read: { $0.allocator?.allocations }),
        _MetricFamily(
            name: "nebula_memory_deallocations_total", kind: .counter, help: "Deallocations.",
            read: { $0.allocator?.deallocations }),
        _MetricFamily(
            name: "nebula_memory_failed_allocations_total", kind: .counter, help: "Allocations that threw.",
            read: { $0.allocator?.failedAllocations }),
        _MetricFamily(
            name: "nebula_memory_resets_total", kind: .counter, help: "Resets of the allocator.",
            read: { $0.allocator?.resets }),
    ]

    private static let budget: [_MetricFamily] = [
        _MetricFamily(
            name: "nebula_memory_budget_used_bytes", kind: .gauge, help: "Bytes reserved in the budget and below.",
            read: { $0.budget?.usedBytes }),
        _MetricFamily(
            name: "nebula_memory_budget_limit_bytes", kind: .gauge, help: "The budget's own limit.",
            read: { $0.budget?.limitBytes }),
        _MetricFamily(
            name: "nebula_memory_budget_peak_bytes", kind: .gauge, help: "The most bytes reserved at once.",
            read: { $0.budget?.peakBytes }),
        _MetricFamily(
            name: "nebula_memory_budget_reservations_total", kind: .counter, help: "Reservations granted.",
            read: { $0.budget?.reservations }),
        _MetricFamily(
            name: "nebula_memory_budget_denials_total", kind: .counter,
            help: "Reservations denied, here or by an ancestor.", read: { $0.budget?.denials }),
        _MetricFamily(
            name: "nebula_memory_budget_pressure_level", kind: .gauge,
            help: "Pressure level: 0 normal, 1 moderate, 2 high, 3 critical.", read: { $0.budget?.pressure.rawValue }),
    ]

    private static let objectPool: [_MetricFamily] = [
        _MetricFamily(
            name: "nebula_memory_pool_idle_objects", kind: .gauge, help: "Objects waiting in the pool.",
            read: { $0.objectPool?.idle }),
        _MetricFamily(
            name: "nebula_memory_pool_in_use_objects", kind: .gauge, help: "Objects checked out.",
            read: { $0.objectPool?.inUse }),
        _MetricFamily(
            name: "nebula_memory_pool_capacity_objects", kind: .gauge, help: "The most objects the pool holds.",
            read: { $0.objectPool?.capacity }),
        _MetricFamily(
            name: "nebula_memory_pool_peak_in_use_objects", kind: .gauge, help: "The most objects out at once.",
            read: { $0.objectPool?.statistics?.peakInUse }),
        _MetricFamily(
            name: "nebula_memory_pool_hits_total", kind: .counter, help: "Checkouts served by an idle object.",
            read: { $0.objectPool?.statistics?.hits }),
        _MetricFamily(
            name: "nebula_memory_pool_misses_total", kind: .counter, help: "Checkouts that created an object.",
            read: { $0.objectPool?.statistics?.misses }),
        _MetricFamily(
            name: "nebula_memory_pool_created_total", kind: .counter, help: "Objects created.",
            read: { $0.objectPool?.statistics?.created }),
        _MetricFamily(
            name: "nebula_memory_pool_discarded_total", kind: .counter,
            help: "Objects dropped: unhealthy, not reusable, past their lifetime, or beyond maxIdle.",
            read: { $0.objectPool?.statistics?.discarded }),
        _MetricFamily(
            name: "nebula_memory_pool_evicted_total", kind: .counter, help: "Idle objects evicted.",
            read: { $0.objectPool?.statistics?.evicted }),
        _MetricFamily(
            name: "nebula_memory_pool_leaks_total", kind: .counter,
            help: "Objects reported out longer than the leak threshold.", read: { $0.objectPool?.statistics?.leaks }),
    ]
}
