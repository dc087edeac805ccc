import Glibc

/// Reading and parsing the small text files of `/proc` and `/sys` with plain POSIX calls
/// (the library does not use Foundation).
enum _ProcFile {
    /// What reading a file gave.
    enum Outcome {
        case contents(String)
        /// The file exists but could not be read, with a reason for the note.
        case failed(String)
    }

    /// Files above this are not what the kernel writes, and are refused rather than read whole.
    static let maximumSize = 1 << 20

    /// The file's text; `nil` when it does not exist (so callers can try another place).
    static func load(_ path: String) -> Outcome? {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        if descriptor < 0 {
            let code = errno
            return code == ENOENT || code == ENOTDIR ? nil : .failed(describe(code))
        }
        defer { close(descriptor) }
        // procfs and sysfs report a size of 0, so read until end of file instead of by `fstat`.
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = chunk.withUnsafeMutableBytes { buffer in
                read(descriptor, buffer.baseAddress, buffer.count)
            }
            if count > 0 {
                bytes += chunk[..<count]
                if bytes.count > maximumSize { return .failed("larger than \(maximumSize) bytes") }
            } else if count == 0 {
                return .contents(String(decoding: bytes, as: UTF8.self))
            } else {
                let code = errno
                // EOPNOTSUPP here means /proc/pressure exists but PSI is off (`psi=0`).
                if code != EINTR { return .failed(describe(code)) }
            }
        }
    }

    /// The file's text, or `nil` with a note saying why not.
    static func contents(of path: String, notes: inout [String], missing: String? = nil) -> String? {
        switch load(path) {
        case .contents(let text)?:
            return text
        case .failed(let reason)?:
            notes.append("\(path): \(reason)")
            return nil
        case nil:
            notes.append("\(path): missing" + (missing.map { " (\($0))" } ?? ""))
            return nil
        }
    }

    static func describe(_ code: Int32) -> String {
        guard let message = strerror(code) else { return "error \(code)" }
        return String(cString: message)
    }

    enum Unsigned {
        case value(Int)
        /// Only digits, but more than `Int.max`.
        case tooLarge
        /// Empty, signed, or not a number.
        case invalid
    }

    /// A decimal number of ASCII digits only: no sign, no spaces, no `0x`.
    static func unsigned(_ text: Substring) -> Unsigned {
        guard !text.isEmpty else { return .invalid }
        var value = 0
        var tooLarge = false
        for byte in text.utf8 {
            guard byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") else { return .invalid }
            let (shifted, overflow1) = value.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = shifted.addingReportingOverflow(Int(byte - UInt8(ascii: "0")))
            if overflow1 || overflow2 { tooLarge = true }
            value = sum
        }
        return tooLarge ? .tooLarge : .value(value)
    }

    /// A PSI average such as `12.34`: digits and a dot, 0 to 100.
    static func percentage(_ text: Substring) -> Double? {
        // `Double(_:)` alone would also take "-1", "nan", "inf" and "1e9".
        guard text.utf8.allSatisfy({ ($0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9")) || $0 == UInt8(ascii: ".") }),
            let value = Double(text), value <= 100
        else { return nil }
        return value
    }

    /// `text` quoted and escaped for a note, cut short when long (it may be binary garbage).
    static func quoted<S: StringProtocol>(_ text: S) -> String {
        let limit = 40
        let shown = text.count > limit ? String(text.prefix(limit)) + "..." : String(text)
        return shown.debugDescription
    }
}
