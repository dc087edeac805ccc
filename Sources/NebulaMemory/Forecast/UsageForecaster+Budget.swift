extension UsageForecaster {
    /// Records a budget's use now and forecasts it against the budget's limit.
    ///
    /// ```swift
    /// let forecaster = try UsageForecaster(window: 30)
    /// // every second:
    /// let forecast = forecaster.sample(workflowBudget)
    /// forecast.trend.slope      // bytes per second
    /// forecast.timeToLimit      // nil while flat or falling
    /// ```
    ///
    /// A forecaster follows one series: sample the same budget each time. The forecast is made
    /// against the configured ``MemoryBudget/limit``, not the ``MemoryBudget/effectiveLimit``:
    /// a `.pressureAware` budget's effective limit shrinks as pressure rises, and a forecast
    /// that raises pressure would otherwise bring its own limit closer.
    ///
    /// - Parameter budget: the budget whose ``MemoryBudget/used`` is sampled.
    /// - Returns: the trend of the window with this sample, and the budget's limit now. A sample
    ///   the window refuses (the clock read earlier than a sample recorded with an explicit
    ///   time) is left out, and the forecast is that of the window without it.
    /// - Complexity: that of ``MemoryBudget/used``, plus O(``window``) for the fit.
    public func sample(_ budget: MemoryBudget) -> BudgetForecast {
        // A budget's use is never negative; a time the window refuses leaves it as it was.
        try? record(used: budget.used)
        return BudgetForecast(trend: trend, limit: budget.limit)
    }
}
