#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Builds a ``SystemMemory`` from the files under a root directory.
///
/// Every step records what it could not read in the snapshot's `notes` and goes on, so one bad
/// file costs only its own fields.
struct _SystemMemoryReader {
    /// `root` without trailing slashes, so `root + "/proc/…"` is a path; `/` becomes "".
    let root: String

    init(root: String) {
        var root = Substring(root)
        while root.last == "/" { root.removeLast() }
        self.root = String(root)
    }

    func read() -> SystemMemory {
        var memory = SystemMemory()
        readMeminfo(into: &memory)
        readPressure(into: &memory)
        readCgroup(into: &memory)
        return memory
    }

    // MARK: - /proc/meminfo

    private func readMeminfo(into memory: inout SystemMemory) {
        let path = root + "/proc/meminfo"
        guard let text = _ProcFile.contents(of: path, notes: &memory.notes) else { return }
        var fields: [Substring: Substring] = [:]
        for line in text.split(separator: "\n") {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let key = line[..<colon]
            if fields[key] == nil { fields[key] = line[line.index(after: colon)...] }
        }
        memory.total = meminfoBytes("MemTotal", in: fields, path: path, notes: &memory.notes)
        memory.available = meminfoBytes("MemAvailable", in: fields, path: path, notes: &memory.notes)
        if let total = memory.total, let available = memory.available, available > total {
            memory.notes.append("\(path): MemAvailable (\(available) bytes) exceeds MemTotal (\(total) bytes)")
        }
    }

    /// A `Key:  <n> kB` field in bytes. The unit is required: without it the value is ambiguous
    /// (a truncated line), and guessing wrong would be off by a factor of 1024.
    private func meminfoBytes(
        _ key: Substring, in fields: [Substring: Substring], path: String, notes: inout [String]
    ) -> Int? {
        guard let value = fields[key] else {
            notes.append("\(path): no \(key) line")
            return nil
        }
        let words = value.split(whereSeparator: \.isWhitespace)
        guard words.count == 2, words[1] == "kB", case .value(let kibibytes) = _ProcFile.unsigned(words[0]) else {
            let shown = _ProcFile.quoted(words.joined(separator: " "))
            notes.append("\(path): \(key) is not \"<number> kB\": \(shown)")
            return nil
        }
        let (bytes, overflow) = kibibytes.multipliedReportingOverflow(by: 1024)
        guard !overflow else {
            notes.append("\(path): \(key) of \(kibibytes) kB does not fit in Int as bytes")
            return nil
        }
        return bytes
    }

    // MARK: - /proc/pressure/memory

    private func readPressure(into memory: inout SystemMemory) {
        let path = root + "/proc/pressure/memory"
        guard let text = _ProcFile.contents(of: path, notes: &memory.notes, missing: "kernel without PSI support")
        else {
            return
        }
        var lines: [Substring: [Substring: Substring]] = [:]
        for line in text.split(separator: "\n") {
            let words = line.split(whereSeparator: \.isWhitespace)
            guard let kind = words.first, kind == "some" || kind == "full", lines[kind] == nil else { continue }
            var values: [Substring: Substring] = [:]
            for word in words.dropFirst() {
                guard let equals = word.firstIndex(of: "=") else { continue }
                values[word[..<equals]] = word[word.index(after: equals)...]
            }
            lines[kind] = values
        }
        let missingLines = ["some", "full"].filter { lines[$0] == nil }
        for kind in missingLines { memory.notes.append("\(path): no \"\(kind)\" line") }
        guard missingLines.isEmpty else { return }
        // Every field is checked even after a bad one, so each problem gets its note.
        var averages: [Double] = []
        for (kind, key): (Substring, Substring) in [
            ("some", "avg10"), ("some", "avg60"), ("full", "avg10"), ("full", "avg60"),
        ] {
            let text = lines[kind]?[key]
            if let text, let value = _ProcFile.percentage(text) {
                averages.append(value)
            } else {
                let shown = text.map(_ProcFile.quoted) ?? "missing"
                memory.notes.append("\(path): \(kind) \(key) is not a percentage: \(shown)")
            }
        }
        guard averages.count == 4 else { return }
        memory.pressure = SystemMemory.Pressure(
            someAvg10: averages[0], someAvg60: averages[1], fullAvg10: averages[2], fullAvg60: averages[3])
    }

    // MARK: - cgroups

    /// The process's cgroup paths from `/proc/self/cgroup`: `0::<path>` for v2, and
    /// `<id>:<controllers>:<path>` with `memory` among the controllers for v1.
    private struct Membership {
        var v2Path: Substring?
        var v1MemoryPath: Substring?
        var malformedLines = 0
    }

    private func membership(from text: String) -> Membership {
        var membership = Membership()
        for line in text.split(separator: "\n") where !line.allSatisfy(\.isWhitespace) {
            let fields = line.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
            guard fields.count == 3, case .value(let id) = _ProcFile.unsigned(fields[0]), fields[2].first == "/" else {
                membership.malformedLines += 1
                continue
            }
            if id == 0 && fields[1].isEmpty {
                membership.v2Path = membership.v2Path ?? fields[2]
            } else if fields[1].split(separator: ",").contains("memory") {
                membership.v1MemoryPath = membership.v1MemoryPath ?? fields[2]
            }
        }
        return membership
    }

    private func readCgroup(into memory: inout SystemMemory) {
        let path = root + "/proc/self/cgroup"
        guard let text = _ProcFile.contents(of: path, notes: &memory.notes) else { return }
        let membership = membership(from: text)
        if membership.malformedLines > 0 {
            memory.notes.append("\(path): ignored \(membership.malformedLines) malformed line(s)")
        }
        let hierarchy = root + "/sys/fs/cgroup"
        // Both fall back to the top of the hierarchy for containers without a cgroup namespace:
        // /proc/self/cgroup names the host's path, but the container's own cgroup is mounted there.
        var v2Directories: [String] = []
        if let v2Path = membership.v2Path {
            v2Directories = candidates(hierarchy, v2Path)
            for directory in v2Directories {
                guard let limit = _ProcFile.load(directory + "/memory.max") else { continue }
                memory.cgroupVersion = .v2
                memory.cgroupLimit = number(.v2Limit, limit, path: directory + "/memory.max", notes: &memory.notes)
                memory.cgroupHigh = number(.v2Limit, in: directory + "/memory.high", notes: &memory.notes)
                memory.cgroupUsage = number(.usage, in: directory + "/memory.current", notes: &memory.notes)
                return
            }
        }
        // Hybrid systems list a v2 entry too, but keep the memory controller on v1.
        if let v1Path = membership.v1MemoryPath {
            memory.cgroupVersion = .v1
            let directories = candidates(hierarchy + "/memory", v1Path)
            for directory in directories {
                let limitPath = directory + "/memory.limit_in_bytes"
                guard let limit = _ProcFile.load(limitPath) else { continue }
                memory.cgroupLimit = number(.v1Limit, limit, path: limitPath, notes: &memory.notes)
                memory.cgroupUsage = number(.usage, in: directory + "/memory.usage_in_bytes", notes: &memory.notes)
                return
            }
            memory.notes.append("no memory.limit_in_bytes in \(directories.joined(separator: " or "))")
        } else if !v2Directories.isEmpty {
            memory.cgroupVersion = .v2
            memory.notes.append(
                "no memory.max in \(v2Directories.joined(separator: " or ")) "
                    + "(the memory controller is off for this cgroup, or it is the root cgroup)")
        } else {
            memory.notes.append("\(path): no cgroup v2 entry and no v1 memory entry")
        }
    }

    /// The process's cgroup directory, then the top of the hierarchy.
    private func candidates(_ hierarchy: String, _ cgroupPath: Substring) -> [String] {
        var relative = cgroupPath
        while relative.last == "/" { relative.removeLast() }
        let own = hierarchy + relative
        return own == hierarchy ? [hierarchy] : [own, hierarchy]
    }

    /// The kernel's "no limit" in v1 is `Int64.max` rounded down to the page size:
    /// 9223372036854771712 with 4 KiB pages, 9223372036854710272 with 64 KiB pages (arm64,
    /// ppc64). Anything from the lower one up is no limit; no real limit comes near it, so v2
    /// limits are held to the same rule.
    static let unlimitedThreshold = 9_223_372_036_854_710_272

    /// What a one-number cgroup file may hold.
    private enum NumberFile {
        /// A byte count, or `max` for no limit; huge values count as no limit, as in v1.
        case v2Limit
        /// A byte count, where values from `unlimitedThreshold` up mean no limit.
        case v1Limit
        /// A byte count.
        case usage
    }

    private func number(_ kind: NumberFile, in path: String, notes: inout [String]) -> Int? {
        guard let file = _ProcFile.load(path) else {
            notes.append("\(path): missing")
            return nil
        }
        return number(kind, file, path: path, notes: &notes)
    }

    /// The file's number; `nil` for no limit, and `nil` with a note when unreadable or malformed.
    private func number(_ kind: NumberFile, _ file: _ProcFile.Outcome, path: String, notes: inout [String]) -> Int? {
        let text: String
        switch file {
        case .contents(let contents): text = contents
        case .failed(let reason):
            notes.append("\(path): \(reason)")
            return nil
        }
        let word = text.trimmingWhitespace()
        if kind == .v2Limit && word == "max" { return nil }
        switch (_ProcFile.unsigned(word), kind) {
        case (.value(let bytes), .usage): return bytes
        case (.value(let bytes), _) where bytes < Self.unlimitedThreshold: return bytes
        case (.value, .v1Limit), (.value, .v2Limit), (.tooLarge, .v1Limit), (.tooLarge, .v2Limit): return nil
        case (.tooLarge, .usage), (.invalid, _):
            let expected = kind == .v2Limit ? "a byte count or \"max\"" : "a byte count"
            notes.append("\(path): not \(expected): \(_ProcFile.quoted(word))")
            return nil
        }
    }
}

extension String {
    fileprivate func trimmingWhitespace() -> Substring {
        guard let first = firstIndex(where: { !$0.isWhitespace }), let last = lastIndex(where: { !$0.isWhitespace })
        else { return self[endIndex...] }
        return self[first...last]
    }
}
