/// A budget's usage trend against its limit: how long until it is reached, and the pressure
/// level that implies.
///
/// ```swift
/// let forecast = forecaster.sample(engineBudget)
/// forecast.timeToLimit                       // e.g. 42 seconds
/// forecast.level(horizon: .seconds(60))      // .high: the limit is less than a minute away
/// ```
public struct BudgetForecast: Sendable, Hashable {
    /// The line through the budget's recent use.
    public let trend: UsageTrend
    /// The budget's configured limit when it was sampled.
    public let limit: Int

    /// Pairs a trend with a limit.
    ///
    /// - Parameters:
    ///   - trend: the line through the budget's recent use.
    ///   - limit: the limit to forecast against, in bytes.
    public init(trend: UsageTrend, limit: Int) {
        self.trend = trend
        self.limit = limit
    }

    /// How long after the newest sample the trend reaches the limit; see
    /// ``UsageTrend/timeToLimit(_:)``.
    public var timeToLimit: Duration? { trend.timeToLimit(limit) }

    /// The pressure level the forecast asks for, for a monitor now at `current`.
    ///
    /// The level is `.critical` when the limit is a quarter of the horizon away or less, `.high`
    /// when it is within the horizon, `.normal` otherwise (or when the trend is flat or
    /// falling). Like ``MemoryPressure/Thresholds/level(of:from:)`` it rises at once and falls
    /// only with a margin: a level is left once the limit is more than its threshold plus a
    /// quarter of it away.
    ///
    /// - Parameters:
    ///   - horizon: how far ahead a limit counts; positive.
    ///   - current: the level this forecast asked for last time; `.normal` for none.
    /// - Returns: `.normal`, `.high` or `.critical`.
    public func level(horizon: Duration, from current: MemoryPressure = .normal) -> MemoryPressure {
        let time = timeToLimit
        let raw = Self.level(time, horizon: horizon)
        if raw >= current { return raw }
        // Falling needs the limit a quarter further away than rising did, so that a forecast
        // wavering around a threshold does not make the level flap.
        let cautious = Self.level(time, horizon: horizon + horizon / 4)
        return Swift.max(raw, Swift.min(current, cautious))
    }

    private static func level(_ time: Duration?, horizon: Duration) -> MemoryPressure {
        guard let time else { return .normal }
        if time <= horizon / 4 { return .critical }
        return time <= horizon ? .high : .normal
    }
}
