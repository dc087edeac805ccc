/// Allocation requests counted by size class, in powers of two: class 0 counts zero-byte
/// requests, class *k* counts sizes in `2^(k-1) ..< 2^k`, and the last class counts every size
/// from `2^(classCount - 2)` (1 GiB) up.
///
/// ```swift
/// if let sizes = arena.statistics?.sizeClasses {
///     for (range, count) in sizes.nonEmptyClasses { print(range, count) }   // 32...63 12000
/// }
/// ```
public struct SizeClassHistogram: Sendable, Hashable {
    /// The number of classes: zero, one per power of two up to 1 GiB, and one for the rest.
    @inlinable public static var classCount: Int { 32 }

    /// The counts, inline: reading an allocator's statistics allocates nothing.
    private var storage:
        (
            Int, Int, Int, Int, Int, Int, Int, Int, Int, Int, Int, Int, Int, Int, Int, Int, Int, Int, Int, Int, Int,
            Int, Int, Int, Int, Int, Int, Int, Int, Int, Int, Int
        ) = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)

    /// A histogram with every class at zero.
    public init() {}

    /// A histogram with the given counts, class 0 first; missing classes count zero.
    ///
    /// - Parameter counts: counts by class; entries beyond ``classCount`` are added to the last class.
    public init(counts: [Int]) {
        for (index, count) in counts.enumerated() {
            add(count, toClass: Swift.min(index, Self.classCount - 1))
        }
    }

    /// The count of each class, ``classCount`` entries.
    public var counts: [Int] {
        (0..<Self.classCount).map { self[$0] }
    }

    /// The class of a request of `size` bytes (a negative size counts as zero).
    ///
    /// - Parameter size: the request's size in bytes.
    /// - Returns: a class in `0 ..< classCount`.
    @inlinable
    public static func sizeClass(of size: Int) -> Int {
        _sizeClass(Swift.max(size, 0))
    }

    /// The sizes class `sizeClass` counts: `0...0`, `1...1`, `2...3`, `4...7`, …, and
    /// `1 GiB...Int.max` for the last.
    ///
    /// - Parameter sizeClass: a class in `0 ..< classCount`.
    /// - Returns: the smallest and the largest size of the class.
    public static func sizes(inClass sizeClass: Int) -> ClosedRange<Int> {
        precondition(sizeClass >= 0 && sizeClass < classCount, "size class \(sizeClass) out of 0..<\(classCount)")
        if sizeClass == 0 { return 0...0 }
        let lower = 1 << (sizeClass - 1)
        return sizeClass == classCount - 1 ? lower...Int.max : lower...(lower << 1) - 1
    }

    /// Class `sizeClass` as text, as the `size` label of exported metrics: `0`, `1`, `2-3`,
    /// `4-7`, …, `1073741824+`.
    ///
    /// - Parameter sizeClass: a class in `0 ..< classCount`.
    /// - Returns: the smallest and largest size of the class, or the smallest and `+` for the last.
    public static func label(ofClass sizeClass: Int) -> String {
        let sizes = Self.sizes(inClass: sizeClass)
        if sizes.upperBound == Int.max { return "\(sizes.lowerBound)+" }
        if sizes.lowerBound == sizes.upperBound { return String(sizes.lowerBound) }
        return "\(sizes.lowerBound)-\(sizes.upperBound)"
    }

    /// The count of class `sizeClass`.
    ///
    /// - Parameter sizeClass: a class in `0 ..< classCount`.
    public subscript(sizeClass: Int) -> Int {
        precondition(
            sizeClass >= 0 && sizeClass < Self.classCount, "size class \(sizeClass) out of 0..<\(Self.classCount)")
        return withUnsafeBytes(of: storage) { $0.load(fromByteOffset: sizeClass * 8, as: Int.self) }
    }

    /// All requests counted.
    public var total: Int { (0..<Self.classCount).reduce(0) { $0 + self[$1] } }

    /// The classes that counted anything, smallest first, with their sizes.
    public var nonEmptyClasses: [(sizes: ClosedRange<Int>, count: Int)] {
        (0..<Self.classCount).filter { self[$0] != 0 }.map { (Self.sizes(inClass: $0), self[$0]) }
    }

    /// Counts `count` more requests in class `sizeClass`.
    mutating func add(_ count: Int, toClass sizeClass: Int) {
        let total = self[sizeClass] + count
        withUnsafeMutableBytes(of: &storage) { $0.storeBytes(of: total, toByteOffset: sizeClass * 8, as: Int.self) }
    }

    /// Whether every class counts the same in both.
    ///
    /// - Parameters:
    ///   - lhs: a histogram.
    ///   - rhs: another histogram.
    /// - Returns: true when the counts are equal class by class.
    public static func == (lhs: Self, rhs: Self) -> Bool {
        (0..<classCount).allSatisfy { lhs[$0] == rhs[$0] }
    }

    /// Hashes the counts, class 0 first.
    ///
    /// - Parameter hasher: the hasher to feed.
    public func hash(into hasher: inout Hasher) {
        for sizeClass in 0..<Self.classCount { hasher.combine(self[sizeClass]) }
    }
}

/// The size class of a non-negative size; the hot paths' form of
/// ``SizeClassHistogram/sizeClass(of:)`` (31 is the last class).
@inlinable
@inline(__always)
func _sizeClass(_ size: Int) -> Int {
    Swift.min(Int.bitWidth &- size.leadingZeroBitCount, 31)
}
