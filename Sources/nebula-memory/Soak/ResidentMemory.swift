import Foundation

/// The process's resident set, from `/proc/self/statm` (resident pages × page size).
enum ResidentMemory {
    /// Resident bytes now, or nil where `/proc/self/statm` cannot be read.
    static func bytes() -> Int? {
        guard let statm = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return nil }
        return residentBytes(statm: statm, pageSize: Int(sysconf(Int32(_SC_PAGESIZE))))
    }

    /// The resident bytes in the text of a statm file: its second field, in pages.
    static func residentBytes(statm: String, pageSize: Int) -> Int? {
        let fields = statm.split(whereSeparator: \.isWhitespace)
        guard fields.count >= 2, let pages = Int(fields[1]), pages >= 0 else { return nil }
        return pages * pageSize
    }
}
