/// A parser for the Prometheus text exposition format, enough to check what the library
/// exports: `# HELP` and `# TYPE` lines and samples with labels and integer values.
struct PrometheusText {
    struct Sample: Equatable {
        var name: String
        var labels: [String: String]
        var value: Int
    }

    enum ParseError: Error, Equatable {
        case malformed(line: String)
        case sampleBeforeType(String)
    }

    var help: [String: String] = [:]
    var types: [String: String] = [:]
    var samples: [Sample] = []

    /// Parses `text`; every sample must come after its metric's `# TYPE` line.
    init(_ text: String) throws {
        for line in text.split(separator: "\n", omittingEmptySubsequences: true).map(String.init) {
            if line.hasPrefix("# HELP ") {
                let rest = line.dropFirst(7)
                guard let space = rest.firstIndex(of: " ") else { throw ParseError.malformed(line: line) }
                help[String(rest[..<space])] = String(rest[rest.index(after: space)...])
            } else if line.hasPrefix("# TYPE ") {
                let parts = line.dropFirst(7).split(separator: " ")
                guard parts.count == 2 else { throw ParseError.malformed(line: line) }
                types[String(parts[0])] = String(parts[1])
            } else {
                let sample = try Self.parseSample(line)
                guard types[sample.name] != nil else { throw ParseError.sampleBeforeType(sample.name) }
                samples.append(sample)
            }
        }
    }

    /// The value of `metric` for the entry registered as `name`, if exported.
    func value(_ metric: String, name: String, _ label: (key: String, value: String)? = nil) -> Int? {
        samples.first { sample in
            sample.name == metric && sample.labels["name"] == name
                && label.map { sample.labels[$0.key] == $0.value } ?? true
        }?.value
    }

    private static func parseSample(_ line: String) throws -> Sample {
        let scalars = Array(line.unicodeScalars)
        var index = 0
        var name = ""
        while index < scalars.count, scalars[index] != "{", scalars[index] != " " {
            name.unicodeScalars.append(scalars[index])
            index += 1
        }
        var labels: [String: String] = [:]
        if index < scalars.count, scalars[index] == "{" {
            index += 1
            while index < scalars.count, scalars[index] != "}" {
                var key = ""
                while index < scalars.count, scalars[index] != "=" {
                    key.unicodeScalars.append(scalars[index])
                    index += 1
                }
                index += 1
                guard index < scalars.count, scalars[index] == "\"" else { throw ParseError.malformed(line: line) }
                index += 1
                var value = ""
                while index < scalars.count, scalars[index] != "\"" {
                    if scalars[index] == "\\", index + 1 < scalars.count {
                        index += 1
                        value += scalars[index] == "n" ? "\n" : String(scalars[index])
                    } else {
                        value.unicodeScalars.append(scalars[index])
                    }
                    index += 1
                }
                index += 1
                labels[key] = value
                if index < scalars.count, scalars[index] == "," { index += 1 }
            }
            index += 1
        }
        guard index < scalars.count, scalars[index] == " ",
            let value = Int(String(String.UnicodeScalarView(scalars[(index + 1)...])))
        else { throw ParseError.malformed(line: line) }
        return Sample(name: name, labels: labels, value: value)
    }
}
