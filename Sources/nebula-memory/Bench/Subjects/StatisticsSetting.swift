/// Whether a W9 subject's allocator keeps statistics, as a type parameter so that each
/// setting is specialized: W9 subtracts the one from the other.
protocol StatisticsSetting {
    static var trackStatistics: Bool { get }
}

/// Statistics on, as in the allocators' `.default` configuration.
enum StatisticsOn: StatisticsSetting {
    static let trackStatistics = true
}

/// Statistics off; every other setting as `.default`.
enum StatisticsOff: StatisticsSetting {
    static let trackStatistics = false
}
