/// Which configuration a subject's allocator uses: the `.default` subjects (`bump`) or their
/// `.performance` twins (`bump-performance`), as type parameters so each is specialized.
protocol SubjectPreset {
    static var performance: Bool { get }
}

/// The allocators' `.default` configuration.
enum DefaultPreset: SubjectPreset {
    static let performance = false
}

/// The allocators' `.performance` configuration: no statistics, minimal checks.
enum PerformancePreset: SubjectPreset {
    static let performance = true
}
