extension AllocationProfile {
    /// A table of the top sites by live bytes, then by total bytes.
    ///
    /// ```text
    /// allocation profile: 412 samples, 1 in 65536 bytes
    /// estimated 1000000 allocations, 26999808 bytes, 1048576 live
    ///
    /// top 2 sites by live bytes
    ///   live bytes  live allocs        bytes   allocs  samples  allocator  site
    ///      1048576         1024     18874368    18432      288  bump       Engine/Node.swift:42
    /// ```
    ///
    /// - Parameter top: how many sites each table lists at most.
    /// - Returns: the text, ending in a line feed.
    public func text(top: Int = 10) -> String {
        var lines = [
            "allocation profile: \(samples) samples, 1 in \(sampleInterval) bytes",
            "estimated \(count) allocations, \(bytes) bytes, \(liveBytes) live",
        ]
        for (title, rows) in [("live bytes", topByLiveBytes(top)), ("total bytes", topByBytes(top))] {
            lines.append("")
            lines.append("top \(rows.count) sites by \(title)")
            guard !rows.isEmpty else {
                lines.append("  (none)")
                continue
            }
            lines.append(Self.row(["live bytes", "live allocs", "bytes", "allocs", "samples"], "allocator", "site"))
            for entry in rows {
                lines.append(
                    Self.row(
                        [entry.liveBytes, entry.liveCount, entry.bytes, entry.count, entry.samples].map(String.init),
                        entry.site.allocator.rawValue, entry.site.description))
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private static func row(_ figures: [String], _ allocator: String, _ site: String) -> String {
        let widths = [12, 12, 14, 10, 8]
        var line = " "
        for (figure, width) in zip(figures, widths) {
            line += String(repeating: " ", count: Swift.max(1, width - figure.count)) + figure
        }
        return line + "  " + allocator + String(repeating: " ", count: Swift.max(1, 16 - allocator.count)) + site
    }
}
