/// The direction of a series of memory readings: the least-squares line through the samples of
/// a ``UsageForecaster``'s window, and when that line reaches a limit.
///
/// ```swift
/// let trend = forecaster.trend
/// trend.slope                           // bytes per second; negative while memory is given back
/// trend.timeToLimit(budget.limit)       // nil: flat or falling; .zero: already there
/// ```
///
/// Times are durations since the forecaster's origin (its clock's reading when it was made).
/// A trend of fewer than two samples, or of samples all taken at one time, is flat.
public struct UsageTrend: Sendable, Hashable {
    /// How fast the fitted use grows, in bytes per second; 0 for a flat trend.
    public let slope: Double
    /// The fitted use at time zero (the forecaster's origin), in bytes: the line is
    /// `intercept + slope × seconds`. See ``usage(at:)``.
    public let intercept: Double
    /// How many samples the line was fitted to.
    public let sampleCount: Int
    /// The time of the newest sample, from which ``timeToLimit(_:)`` counts; zero without samples.
    public let latest: Duration
    /// The bytes of the newest sample; 0 without samples.
    public let latestUsed: Int
    /// The time from the oldest sample to the newest.
    public let span: Duration
    /// The line's value at ``latest``, kept apart from the intercept so that ``timeToLimit(_:)``
    /// does not subtract two large numbers to find it.
    let fittedLatest: Double

    /// The trend of an empty window.
    init() {
        self.init(slope: 0, fittedLatest: 0, sampleCount: 0, latest: .zero, latestUsed: 0, span: .zero)
    }

    init(slope: Double, fittedLatest: Double, sampleCount: Int, latest: Duration, latestUsed: Int, span: Duration) {
        self.slope = slope
        self.fittedLatest = fittedLatest
        self.intercept = fittedLatest - slope * latest.inSeconds
        self.sampleCount = sampleCount
        self.latest = latest
        self.latestUsed = latestUsed
        self.span = span
    }

    /// The fitted use at a time.
    ///
    /// - Parameter time: a duration since the forecaster's origin.
    /// - Returns: the line's value there, in bytes (negative where the line is below zero).
    public func usage(at time: Duration) -> Double {
        fittedLatest + slope * (time - latest).inSeconds
    }

    /// How long after the newest sample the fitted line reaches `limit`.
    ///
    /// ```swift
    /// // 10 MB at 0 s, 20 MB at 10 s: 1 MB/s, so a 50 MB limit is 30 s after the newest sample.
    /// trend.timeToLimit(50_000_000)   // 30 seconds
    /// ```
    ///
    /// - Parameter limit: the limit in bytes.
    /// - Returns: `.zero` when the newest sample or the line is already at or over `limit`; `nil`
    ///   without samples, when the trend is flat or falling, or when the line would take more
    ///   than `Int64.max` nanoseconds (292 years) to get there; otherwise the time, rounded up to
    ///   a nanosecond.
    public func timeToLimit(_ limit: Int) -> Duration? {
        guard sampleCount > 0 else { return nil }
        if latestUsed >= limit { return .zero }
        guard slope > 0, slope.isFinite else { return nil }
        let seconds = (Double(limit) - fittedLatest) / slope
        guard seconds > 0 else { return .zero }
        let nanoseconds = (seconds * 1e9).rounded(.up)
        guard nanoseconds < Double(Int64.max) else { return nil }
        return .nanoseconds(Int64(nanoseconds))
    }
}
