extension MemoryBudget: MemoryReportable {
    /// The budget's use, limit, peak, counters and pressure.
    ///
    /// - Complexity: that of ``used``: one pass over the thread stocks when stocks are on.
    public var memoryReport: MemoryReport {
        // Use before the peak: the peak is then never below it.
        let used = self.used
        let statistics = self.statistics
        return MemoryReport(
            kind: .budget,
            budget: MemoryReport.Budget(
                path: path, usedBytes: used, limitBytes: limit, peakBytes: Swift.max(statistics.peak, used),
                reservations: statistics.reservations, denials: statistics.denials, pressure: pressure))
    }
}
