/// One step of an allocator fuzz run, decoded from the input.
enum AllocatorOperation: CustomStringConvertible {
    /// How a deallocation picks its pointer.
    enum Target: CaseIterable {
        /// A live allocation with its own layout.
        case live
        /// A live allocation with a layout one byte larger.
        case wrongSize
        /// One byte past the start of a live allocation.
        case misaligned
        /// An allocation freed earlier (or reclaimed by a restore or reset).
        case freed
        /// Memory the allocator never handed out.
        case foreign
    }

    /// Allocation with a size and alignment that may be invalid.
    case allocate(size: Int, alignment: Int)
    /// Deallocation of the `slot`-th candidate (modulo their count) of `target`.
    case deallocate(slot: Int, target: Target)
    /// A new pattern written into a live allocation.
    case rewrite(slot: Int)
    /// The `slot`-th live allocation resized to a valid layout.
    case reallocate(slot: Int, size: Int, alignment: Int)
    /// A checkpoint or marker.
    case takeRestorePoint
    /// Restore to the `slot`-th restore point ever taken (modulo their count; stale ones
    /// included), or to one of another allocator when `foreign`.
    case restore(slot: Int, foreign: Bool)
    /// Reset.
    case reset

    /// Decodes the next operation.
    init(decoding input: inout FuzzInput) {
        switch input.byte() % 16 {
        case 0..<6: self = .allocate(size: Self.size(&input), alignment: Self.alignment(&input))
        case 6..<10:
            self = .deallocate(slot: Int(input.byte()), target: input.pick(Target.allCases))
        case 10: self = .rewrite(slot: Int(input.byte()))
        case 11: self = .takeRestorePoint
        case 12:
            self = .reallocate(slot: Int(input.byte()), size: Self.size(&input), alignment: Self.alignment(&input))
        case 13, 14: self = .restore(slot: Int(input.byte()), foreign: input.byte() % 8 == 0)
        default: self = .reset
        }
    }

    /// Mostly small sizes, some large ones, and a few that no layout accepts.
    static func size(_ input: inout FuzzInput) -> Int {
        switch input.byte() % 16 {
        case 0..<8: Int(input.byte()) % 65
        case 8..<12: input.uint16() % 4097
        case 12: input.uint16() * 16
        case 13: -1 - Int(input.byte())
        case 14: input.pick([Int.max, Int.max - 4000, Int.max / 2, 1 << 40, Int.min])
        default: 0
        }
    }

    /// Mostly powers of two in `1...4096`, and some that no layout accepts.
    static func alignment(_ input: inout FuzzInput) -> Int {
        switch input.byte() % 16 {
        case 0..<12: 1 << (Int(input.byte()) % 13)
        case 12: 8192
        case 13: input.pick([0, 3, 24, -8, Int.min])
        default: 16
        }
    }

    var description: String {
        switch self {
        case .allocate(let size, let alignment): "allocate(size: \(size), alignment: \(alignment))"
        case .deallocate(let slot, let target): "deallocate(slot: \(slot), target: .\(target))"
        case .rewrite(let slot): "rewrite(slot: \(slot))"
        case .reallocate(let slot, let size, let alignment):
            "reallocate(slot: \(slot), size: \(size), alignment: \(alignment))"
        case .takeRestorePoint: "takeRestorePoint"
        case .restore(let slot, let foreign): "restore(slot: \(slot), foreign: \(foreign))"
        case .reset: "reset"
        }
    }
}
