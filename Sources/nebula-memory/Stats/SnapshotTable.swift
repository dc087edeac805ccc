import Foundation
import NebulaMemory

/// A memory snapshot as aligned text: one section per kind of reading.
struct SnapshotTable {
    let text: String

    init(_ snapshot: MemorySnapshot) {
        var sections: [[[String]]] = []
        let budgets = snapshot.entries.compactMap { entry in entry.report.budget.map { (entry.name, $0) } }
        if !budgets.isEmpty {
            var rows = [["budget", "path", "used", "limit", "peak", "granted", "denied", "pressure"]]
            for (name, budget) in budgets {
                rows.append(
                    ([
                        name, budget.path, Self.bytes(budget.usedBytes), Self.bytes(budget.limitBytes),
                        Self.bytes(budget.peakBytes), "\(budget.reservations)", "\(budget.denials)",
                        "\(budget.pressure)",
                    ]))
            }
            sections.append(rows)
        }
        let allocators = snapshot.entries.filter { $0.report.capacityBytes != nil || $0.report.allocator != nil }
        if !allocators.isEmpty {
            var rows = [
                ["allocator", "kind", "capacity", "in use", "peak", "allocs", "frees", "failed", "most asked"]
            ]
            var failures = [["failures", "code", "count"]]
            for entry in allocators {
                let stats = entry.report.allocator
                rows.append(
                    ([
                        entry.name, entry.report.kind.rawValue, entry.report.capacityBytes.map(Self.bytes) ?? "-",
                        stats.map { Self.bytes($0.bytesInUse) } ?? "-",
                        stats.map { Self.bytes($0.peakBytesInUse) } ?? "-",
                        stats.map { "\($0.allocations)" } ?? "-", stats.map { "\($0.deallocations)" } ?? "-",
                        stats.map { "\($0.failedAllocations)" } ?? "-", stats.map(Self.mostAsked) ?? "-",
                    ]))
                for code in AllocError.Code.allCases {
                    if let count = stats?.failures[code] { failures.append([entry.name, code.rawValue, "\(count)"]) }
                }
            }
            sections.append(rows)
            if failures.count > 1 { sections.append(failures) }
        }
        let contexts = snapshot.entries.compactMap { entry in entry.report.contexts.map { (entry.name, $0) } }
        if !contexts.isEmpty {
            var rows = [["contexts", "opened", "closed", "open", "reopened"]]
            for (name, counts) in contexts {
                rows.append([name, "\(counts.opened)", "\(counts.closed)", "\(counts.open)", "\(counts.reopened)"])
            }
            sections.append(rows)
        }
        let pools = snapshot.entries.compactMap { entry in entry.report.objectPool.map { (entry.name, $0) } }
        if !pools.isEmpty {
            var rows = [["object pool", "idle", "in use", "capacity", "peak", "hits", "misses", "leaks"]]
            for (name, pool) in pools {
                let stats = pool.statistics
                rows.append(
                    ([
                        name, "\(pool.idle)", "\(pool.inUse)", "\(pool.capacity)",
                        stats.map { "\($0.peakInUse)" } ?? "-",
                        stats.map { "\($0.hits)" } ?? "-", stats.map { "\($0.misses)" } ?? "-",
                        stats.map { "\($0.leaks)" } ?? "-",
                    ]))
            }
            sections.append(rows)
        }
        text = sections.isEmpty ? "(nothing registered)" : sections.map(Self.aligned).joined(separator: "\n\n")
    }

    /// The rows as lines, each column as wide as its widest cell: the first left-aligned, the
    /// others right-aligned, two spaces apart.
    private static func aligned(_ rows: [[String]]) -> String {
        var widths = [Int](repeating: 0, count: rows[0].count)
        for row in rows {
            for (column, cell) in row.enumerated() { widths[column] = Swift.max(widths[column], cell.count) }
        }
        return rows.map { row in
            row.enumerated().map { column, cell in
                let padding = String(repeating: " ", count: widths[column] - cell.count)
                return column == 0 ? cell + padding : "  " + padding + cell
            }.joined()
        }.joined(separator: "\n")
    }

    /// The size class asked for most, with its share of the requests: `32-63 B 80%`.
    static func mostAsked(_ statistics: AllocatorStatistics) -> String {
        let sizes = statistics.sizeClasses
        guard let top = sizes.counts.indices.max(by: { sizes[$0] < sizes[$1] }), sizes[top] > 0 else { return "-" }
        return "\(SizeClassHistogram.label(ofClass: top)) B \(sizes[top] * 100 / sizes.total)%"
    }

    /// `bytes` in B, KiB, MiB or GiB with one decimal.
    static func bytes(_ bytes: Int) -> String {
        let units = ["B", "KiB", "MiB", "GiB", "TiB"]
        var value = Double(bytes)
        var unit = 0
        while abs(value) >= 1024, unit < units.count - 1 {
            value /= 1024
            unit += 1
        }
        return unit == 0 ? "\(bytes) B" : String(format: "%.1f", value) + " " + units[unit]
    }
}
