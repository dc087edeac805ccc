/// One metric the library exports: its name, type and help text, and how to read it off a
/// report. The Prometheus export and the swift-metrics bridge (`NebulaMemoryMetrics`) both
/// publish exactly these (a report's other readings, such as an object pool's `detached`
/// count, are in its JSON only).
///
/// ```swift
/// for metric in MemoryMetric.all {
///     if let value = metric.value(in: report) { print(metric.name, value) }
/// }
/// ```
public struct MemoryMetric: Sendable {
    /// Whether a metric only grows (a count of events) or goes up and down (a level).
    public enum MetricType: String, Sendable {
        /// A count of events since the object was created; never goes down.
        case counter
        /// A level that goes up and down.
        case gauge
    }

    /// The metric's name: `nebula_memory_` and what it measures, with its unit (`_bytes`,
    /// `_objects`), and `_total` for counters.
    public let name: String
    /// Whether the metric is a counter or a gauge.
    public let type: MetricType
    /// One sentence on what the metric measures.
    public let help: String
    /// The label that tells a metric's samples apart beyond `name` and `kind` (`code` for
    /// failures by error code, `size` for requests by size class), or nil for a metric with
    /// one sample per object.
    public let label: String?
    private let read: @Sendable (MemoryReport) -> [Sample]

    /// One value of a metric for one object.
    public struct Sample: Sendable, Hashable {
        /// The value of the metric's ``MemoryMetric/label``, or nil when it has none.
        public let labelValue: String?
        /// The reading.
        public let value: Int
    }

    private init(name: String, type: MetricType, help: String, read: @escaping @Sendable (MemoryReport) -> Int?) {
        self.name = name
        self.type = type
        self.help = help
        self.label = nil
        self.read = { report in read(report).map { [Sample(labelValue: nil, value: $0)] } ?? [] }
    }

    private init(
        name: String, type: MetricType, help: String, label: String,
        read: @escaping @Sendable (MemoryReport) -> [(String, Int)]
    ) {
        self.name = name
        self.type = type
        self.help = help
        self.label = label
        self.read = { report in read(report).map { Sample(labelValue: $0.0, value: $0.1) } }
    }

    /// The metric's value in `report`, for a metric without a ``label``.
    ///
    /// - Parameter report: an object's report.
    /// - Returns: the value, or `nil` when the report has no such reading (another kind of
    ///   object, or statistics off) or the metric has a ``label`` (read its ``samples(in:)``).
    public func value(in report: MemoryReport) -> Int? {
        guard label == nil else { return nil }
        return read(report).first?.value
    }

    /// The metric's samples in `report`: one for a metric without a ``label``, one per label
    /// value that has counted anything for a metric with one.
    ///
    /// - Parameter report: an object's report.
    /// - Returns: the samples, empty when the report has no such reading.
    public func samples(in report: MemoryReport) -> [Sample] {
        read(report)
    }

    /// Every metric the library exports, in export order.
    public static let all: [MemoryMetric] = allocator + budget + objectPool + contexts

    private static let allocator: [MemoryMetric] = [
        MemoryMetric(
            name: "nebula_memory_capacity_bytes", type: .gauge,
            help: "Usable bytes the allocator holds (chunks or blocks).", read: { $0.capacityBytes }),
        MemoryMetric(
            name: "nebula_memory_in_use_bytes", type: .gauge, help: "Bytes allocated and not yet freed.",
            read: { $0.allocator?.bytesInUse }),
        MemoryMetric(
            name: "nebula_memory_peak_in_use_bytes", type: .gauge, help: "The most bytes in use at once.",
            read: { $0.allocator?.peakBytesInUse }),
        MemoryMetric(
            name: "nebula_memory_allocations_total", type: .counter, help: "Successful allocations.",
            read: { $0.allocator?.allocations }),
        MemoryMetric(
            name: "nebula_memory_deallocations_total", type: .counter, help: "Deallocations.",
            read: { $0.allocator?.deallocations }),
        MemoryMetric(
            name: "nebula_memory_failed_allocations_total", type: .counter, help: "Allocations that threw.",
            read: { $0.allocator?.failedAllocations }),
        MemoryMetric(
            name: "nebula_memory_resets_total", type: .counter, help: "Resets of the allocator.",
            read: { $0.allocator?.resets }),
        MemoryMetric(
            name: "nebula_memory_allocation_failures_total", type: .counter,
            help: "Allocations that threw, by the code of their error.", label: "code",
            read: { report in
                guard let failures = report.allocator?.failures else { return [] }
                return AllocError.Code.allCases.compactMap { code in failures[code].map { (code.rawValue, $0) } }
            }),
        MemoryMetric(
            name: "nebula_memory_allocations_by_size_total", type: .counter,
            help: "Successful allocations by requested size in bytes, in power-of-two classes.", label: "size",
            read: { report in
                guard let sizes = report.allocator?.sizeClasses else { return [] }
                return sizes.counts.indices.filter { sizes[$0] != 0 }.map {
                    (SizeClassHistogram.label(ofClass: $0), sizes[$0])
                }
            }),
    ]

    private static let budget: [MemoryMetric] = [
        MemoryMetric(
            name: "nebula_memory_budget_used_bytes", type: .gauge, help: "Bytes reserved in the budget and below.",
            read: { $0.budget?.usedBytes }),
        MemoryMetric(
            name: "nebula_memory_budget_limit_bytes", type: .gauge, help: "The budget's own limit.",
            read: { $0.budget?.limitBytes }),
        MemoryMetric(
            name: "nebula_memory_budget_peak_bytes", type: .gauge, help: "The most bytes reserved at once.",
            read: { $0.budget?.peakBytes }),
        MemoryMetric(
            name: "nebula_memory_budget_reservations_total", type: .counter, help: "Reservations granted.",
            read: { $0.budget?.reservations }),
        MemoryMetric(
            name: "nebula_memory_budget_denials_total", type: .counter,
            help: "Reservations denied, here or by an ancestor.", read: { $0.budget?.denials }),
        MemoryMetric(
            name: "nebula_memory_budget_pressure_level", type: .gauge,
            help: "Pressure level: 0 normal, 1 moderate, 2 high, 3 critical.", read: { $0.budget?.pressure.rawValue }),
    ]

    private static let objectPool: [MemoryMetric] = [
        MemoryMetric(
            name: "nebula_memory_pool_idle_objects", type: .gauge, help: "Objects waiting in the pool.",
            read: { $0.objectPool?.idle }),
        MemoryMetric(
            name: "nebula_memory_pool_in_use_objects", type: .gauge, help: "Objects checked out.",
            read: { $0.objectPool?.inUse }),
        MemoryMetric(
            name: "nebula_memory_pool_capacity_objects", type: .gauge, help: "The most objects the pool holds.",
            read: { $0.objectPool?.capacity }),
        MemoryMetric(
            name: "nebula_memory_pool_peak_in_use_objects", type: .gauge, help: "The most objects out at once.",
            read: { $0.objectPool?.statistics?.peakInUse }),
        MemoryMetric(
            name: "nebula_memory_pool_hits_total", type: .counter, help: "Checkouts served by an idle object.",
            read: { $0.objectPool?.statistics?.hits }),
        MemoryMetric(
            name: "nebula_memory_pool_misses_total", type: .counter, help: "Checkouts that created an object.",
            read: { $0.objectPool?.statistics?.misses }),
        MemoryMetric(
            name: "nebula_memory_pool_created_total", type: .counter, help: "Objects created.",
            read: { $0.objectPool?.statistics?.created }),
        MemoryMetric(
            name: "nebula_memory_pool_discarded_total", type: .counter,
            help: "Objects dropped: unhealthy, not reusable, past their lifetime, or beyond maxIdle.",
            read: { $0.objectPool?.statistics?.discarded }),
        MemoryMetric(
            name: "nebula_memory_pool_evicted_total", type: .counter, help: "Idle objects evicted.",
            read: { $0.objectPool?.statistics?.evicted }),
        MemoryMetric(
            name: "nebula_memory_pool_waits_total", type: .counter,
            help: "Checkouts that waited for an object to come free.", read: { $0.objectPool?.statistics?.waits }),
        MemoryMetric(
            name: "nebula_memory_pool_timeouts_total", type: .counter,
            help: "Checkouts that gave up when their time ran out.", read: { $0.objectPool?.statistics?.timeouts }),
        MemoryMetric(
            name: "nebula_memory_pool_leaks_total", type: .counter,
            help: "Objects reported out longer than the leak threshold.", read: { $0.objectPool?.statistics?.leaks }),
    ]

    private static let contexts: [MemoryMetric] = [
        MemoryMetric(
            name: "nebula_memory_contexts_opened_total", type: .counter, help: "Memory contexts opened.",
            read: { $0.contexts?.opened }),
        MemoryMetric(
            name: "nebula_memory_contexts_closed_total", type: .counter, help: "Memory contexts closed.",
            read: { $0.contexts?.closed }),
        MemoryMetric(
            name: "nebula_memory_contexts_reopened_total", type: .counter,
            help: "Memory contexts opened by reusing a closed one whole.", read: { $0.contexts?.reopened }),
        MemoryMetric(
            name: "nebula_memory_open_contexts", type: .gauge, help: "Memory contexts open now.",
            read: { $0.contexts?.open }),
    ]
}
