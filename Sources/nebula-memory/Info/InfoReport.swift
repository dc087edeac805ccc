import Foundation
import NebulaMemory

/// What `nebula-memory info` shows of one snapshot, as text or JSON.
struct InfoReport: Encodable {
    struct Pressure: Encodable {
        let someAvg10: Double
        let someAvg60: Double
        let fullAvg10: Double
        let fullAvg60: Double
    }

    let time: String
    let total: Int?
    let available: Int?
    let used: Int?
    let cgroupVersion: String?
    let cgroupLimit: Int?
    let cgroupHigh: Int?
    let cgroupUsage: Int?
    let psi: Pressure?
    let effectiveLimit: Int?
    let effectiveAvailable: Int?
    let level: String
    let notes: [String]

    init(_ memory: SystemMemory, level: MemoryPressure, time: Date = Date()) {
        self.time = ISO8601DateFormatter().string(from: time)
        total = memory.total
        available = memory.available
        used = memory.used
        cgroupVersion = memory.cgroupVersion.map { $0 == .v1 ? "v1" : "v2" }
        cgroupLimit = memory.cgroupLimit
        cgroupHigh = memory.cgroupHigh
        cgroupUsage = memory.cgroupUsage
        psi = memory.pressure.map {
            Pressure(someAvg10: $0.someAvg10, someAvg60: $0.someAvg60, fullAvg10: $0.fullAvg10, fullAvg60: $0.fullAvg60)
        }
        effectiveLimit = memory.effectiveLimit
        effectiveAvailable = memory.effectiveAvailable
        self.level = level.description
        notes = memory.notes
    }

    /// The report as one line of JSON, keys sorted; absent values are left out.
    func jsonLine() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }

    /// The full report, one value per line.
    var text: String {
        var lines = [
            "system memory",
            row("total", bytes(total)),
            row("available", bytes(available)),
            row("used", bytes(used)),
            "cgroup" + (cgroupVersion.map { " (\($0))" } ?? ""),
            row("limit", cgroupVersion == nil ? "unknown" : bytes(cgroupLimit, absent: "none")),
            row("high", cgroupVersion == nil ? "unknown" : bytes(cgroupHigh, absent: "none")),
            row("usage", bytes(cgroupUsage)),
            "pressure stall information",
        ]
        if let psi {
            lines.append(row("some", "avg10 \(percent(psi.someAvg10))  avg60 \(percent(psi.someAvg60))"))
            lines.append(row("full", "avg10 \(percent(psi.fullAvg10))  avg60 \(percent(psi.fullAvg60))"))
        } else {
            lines.append(row("some/full", "not available on this kernel"))
        }
        lines += [
            "effective",
            row("limit", bytes(effectiveLimit)),
            row("available", bytes(effectiveAvailable) + share),
            row("pressure level", level),
        ]
        if !notes.isEmpty {
            lines.append("notes")
            lines += notes.map { "  - \($0)" }
        }
        return lines.joined(separator: "\n")
    }

    /// One line for `--watch`: when, the level and what it was judged on.
    var watchLine: String {
        var line =
            "\(time)  \(level.padding(to: 9)) available \(bytes(effectiveAvailable, exact: false)) "
            + "of \(bytes(effectiveLimit, exact: false))"
        line += share
        if let psi { line += ", psi some avg10 \(percent(psi.someAvg10))" }
        return line
    }

    private var share: String {
        guard let effectiveAvailable, let effectiveLimit, effectiveLimit > 0 else { return "" }
        return " (\(percent(100 * Double(effectiveAvailable) / Double(effectiveLimit))))"
    }

    private func row(_ label: String, _ value: String) -> String {
        "  " + label.padding(to: 16) + value
    }

    private func percent(_ value: Double) -> String {
        String(format: "%.2f %%", value)
    }

    /// `value` in binary units; `exact` adds the byte count.
    private func bytes(_ value: Int?, absent: String = "unknown", exact: Bool = true) -> String {
        guard let value else { return absent }
        let units = ["B", "KiB", "MiB", "GiB", "TiB"]
        var scaled = Double(value)
        var unit = 0
        while scaled >= 1024, unit < units.count - 1 {
            scaled /= 1024
            unit += 1
        }
        return unit == 0 ? "\(value) B" : String(format: "%.1f ", scaled) + units[unit] + (exact ? " (\(value) B)" : "")
    }
}
