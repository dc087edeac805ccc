/// What a ``MemoryMonitor`` keeps between samples: each source's level, kept apart so that each
/// falls with its own hysteresis, and the latest forecast.
struct _MonitorState: Sendable {
    /// The level system memory reads at.
    var system = MemoryPressure.normal
    /// The level the budget's forecast asks for.
    var forecastLevel = MemoryPressure.normal
    var forecast: BudgetForecast?

    /// The monitor's level: the higher of the two.
    var level: MemoryPressure { Swift.max(system, forecastLevel) }
}
