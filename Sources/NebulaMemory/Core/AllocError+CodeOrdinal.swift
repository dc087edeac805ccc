extension AllocError.Code {
    /// The number of codes.
    @usableFromInline
    static var _count: Int { 16 }

    /// The code's position in `allCases`, without building that array: failure counters are
    /// indexed by it on error paths that must not allocate.
    @usableFromInline
    var _ordinal: Int {
        switch self {
        case .outOfMemory: 0
        case .sizeOverflow: 1
        case .invalidAlignment: 2
        case .exceedsMaxSize: 3
        case .invalidLayout: 4
        case .invalidConfiguration: 5
        case .invalidState: 6
        case .concurrentAccess: 7
        case .resourceLimit: 8
        case .poolExhausted: 9
        case .arenaExhausted: 10
        case .denied: 11
        case .invalidPointer: 12
        case .doubleFree: 13
        case .lifoViolation: 14
        case .budgetExceeded: 15
        }
    }
}
