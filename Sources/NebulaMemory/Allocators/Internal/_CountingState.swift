/// The state of a single-threaded allocator that may keep counters.
@usableFromInline
protocol _CountingState {
    /// Requests by size class and failures by code; nil when statistics are off.
    var counters: _AllocatorCounters? { get }
}

extension _CountingState {
    /// Counts `error` as a failed request (when statistics are on) and returns it, for
    /// `throw failed(…)`. Mutating, as every helper called on a state behind a pointer: a
    /// non-mutating one would get a copy of the state.
    @usableFromInline
    mutating func failed(_ error: AllocError) -> AllocError {
        counters?.recordFailure(error) ?? error
    }
}
