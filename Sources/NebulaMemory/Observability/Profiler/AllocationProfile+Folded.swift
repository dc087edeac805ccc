extension AllocationProfile {
    /// What flame-graph tools read (`flamegraph.pl`, speedscope, inferno): one line per site,
    /// `root;allocator;file:line bytes`, most bytes first; sites of 0 bytes are left out.
    ///
    /// ```text
    /// nebula-memory;bump;Engine/Node.swift:42 524288
    /// ```
    ///
    /// - Parameters:
    ///   - root: the bottom frame of every stack.
    ///   - live: whether to weigh the sites by live bytes rather than total bytes.
    /// - Returns: the lines, each ending in a line feed; empty when no site has bytes.
    public func foldedStacks(root: String = "nebula-memory", live: Bool = false) -> String {
        let rows = live ? topByLiveBytes(entries.count) : entries
        var text = ""
        for entry in rows {
            let weight = live ? entry.liveBytes : entry.bytes
            guard weight > 0 else { continue }
            text +=
                "\(Self.frame(root));\(entry.site.allocator.rawValue);\(Self.frame(entry.site.description)) \(weight)\n"
        }
        return text
    }

    /// A frame without the separators of the format: `;` splits frames, and the last space
    /// starts the count.
    private static func frame(_ name: String) -> String {
        String(name.map { $0 == ";" ? ":" : $0 == " " || $0 == "\n" ? "_" : $0 })
    }
}
