/// Which configuration a subject's allocator uses: the `.default` subjects (`bump`), their
/// `.performance` twins (`bump-performance`) or `.hardened` ones (`bump-hardened`), as type
/// parameters so each is specialized.
protocol SubjectPreset {
    static var performance: Bool { get }
    static var hardened: Bool { get }
}

extension SubjectPreset {
    static var hardened: Bool { false }
}

/// The allocators' `.default` configuration.
enum DefaultPreset: SubjectPreset {
    static let performance = false
}

/// The allocators' `.performance` configuration: no statistics, minimal checks.
enum PerformancePreset: SubjectPreset {
    static let performance = true
}

/// The allocators' `.hardened` configuration: canaries after every allocation, checked on
/// free, restore and reset.
enum HardenedPreset: SubjectPreset {
    static let performance = false
    static let hardened = true
}
