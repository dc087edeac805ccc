extension MemorySnapshot {
    /// The snapshot in the Prometheus text exposition format (version 0.0.4), for a
    /// `/metrics` endpoint.
    ///
    /// Every metric is named `nebula_memory_…`, with its unit in the name (`_bytes`,
    /// `_objects`) and `_total` on counters, and carries the labels `name` (the registered
    /// name, escaped as the format asks) and `kind` (``MemoryReport/Kind``), and a metric with a
    /// ``MemoryMetric/label`` (failures by `code`, allocations by `size`) one sample per value:
    ///
    /// ```text
    /// # HELP nebula_memory_budget_used_bytes Bytes reserved in the budget and below.
    /// # TYPE nebula_memory_budget_used_bytes gauge
    /// nebula_memory_budget_used_bytes{name="engine",kind="budget"} 1048576
    /// ```
    ///
    /// A metric none of the entries has is left out, `# HELP` and `# TYPE` lines included.
    ///
    /// - Returns: the exposition text, ending with a newline.
    /// - Complexity: O(entries × metrics).
    public func prometheusText() -> String {
        var text = ""
        let labels = entries.map { entry in
            "{name=\"\(Self.escapeLabelValue(entry.name))\",kind=\"\(entry.report.kind.rawValue)\""
        }
        for metric in MemoryMetric.all {
            var samples = ""
            for (entry, labels) in zip(entries, labels) {
                for sample in metric.samples(in: entry.report) {
                    samples += metric.name + labels
                    if let label = metric.label, let value = sample.labelValue {
                        samples += ",\(label)=\"\(Self.escapeLabelValue(value))\""
                    }
                    samples += "} " + String(sample.value) + "\n"
                }
            }
            guard !samples.isEmpty else { continue }
            text += "# HELP \(metric.name) \(metric.help)\n# TYPE \(metric.name) \(metric.type.rawValue)\n"
            text += samples
        }
        return text
    }

    /// `value` with backslashes, double quotes and line feeds escaped, as label values of the
    /// exposition format must be.
    static func escapeLabelValue(_ value: String) -> String {
        var escaped = ""
        for character in value.unicodeScalars {
            switch character {
            case "\\": escaped += "\\\\"
            case "\"": escaped += "\\\""
            case "\n": escaped += "\\n"
            default: escaped.unicodeScalars.append(character)
            }
        }
        return escaped
    }
}
