import NebulaMemory

/// What a reference model predicts for one operation.
enum Prediction: CustomStringConvertible {
    /// The operation succeeds; at `address` when the model knows where.
    case success(address: Int?)
    /// The operation fails with `code`.
    case failure(AllocError.Code)
    /// The operation may fail with `code` (a model that cannot know, such as a thread buffer's
    /// leftover space); any other failure is wrong.
    case either(AllocError.Code)

    static let succeeds = Prediction.success(address: nil)

    var description: String {
        switch self {
        case .success(let address): address.map { "success at \($0)" } ?? "success"
        case .failure(let code): "failure \(code.rawValue)"
        case .either(let code): "success or \(code.rawValue)"
        }
    }
}

/// The allocator's observable state, compared before and after a failed operation.
struct ObservedState: Equatable, CustomStringConvertible {
    var used: Int
    var statistics: AllocatorStatistics?

    /// Equal but for one more failed allocation with `failedAllocation`'s code, which a failed
    /// `allocate` counts (nil for an operation that is not an allocation).
    func isUnchanged(from before: ObservedState, failedAllocation: AllocError.Code?) -> Bool {
        guard var expected = before.statistics, let after = statistics else { return self == before }
        if let code = failedAllocation, after.failedAllocations == expected.failedAllocations + 1 {
            expected.failedAllocations += 1
            expected.failures[code, default: 0] += 1
        }
        return used == before.used && after == expected
    }

    var description: String {
        "used \(used), statistics \(statistics.map { "\($0)" } ?? "off")"
    }
}

/// A simple, obviously correct description of one allocator, run beside it.
///
/// The driver asks the model what each operation should do, performs it on `subject`, checks
/// the outcome against the prediction and then tells the model what happened.
protocol AllocatorModel: AnyObject {
    associatedtype Subject: Allocator
    associatedtype RestorePoint

    var subject: Subject { get }
    /// The address range of the allocator's memory, when the model knows it.
    var bounds: Range<Int>? { get }
    /// Deallocation targets whose outcome is defined (the system allocator's contract excludes
    /// foreign pointers and double frees).
    var targets: [AllocatorOperation.Target] { get }
    var observed: ObservedState { get }

    func predictAllocate(_ layout: Layout) -> Prediction
    func didAllocate(at address: Int, _ layout: Layout)
    func predictDeallocate(at address: Int, _ layout: Layout) -> Prediction
    /// Records a successful deallocation; returns the address from which everything was
    /// reclaimed when it moved a cursor back (arenas, stacks), else nil.
    func didDeallocate(at address: Int, _ layout: Layout) -> Int?

    /// What resizing the live allocation at `address` should do, when the model knows; nil
    /// accepts success or any error a resize of a live allocation may meet (no room, a layout
    /// the allocator cannot serve).
    func predictReallocate(at address: Int, from old: Layout, to new: Layout) -> Prediction?
    /// Records a successful resize of the allocation at `old` to one at `new`.
    func didReallocate(from old: Int, _ oldLayout: Layout, to new: Int, _ newLayout: Layout)

    /// Takes a checkpoint or marker (nil when the allocator has none), with its position.
    func takeRestorePoint() throws(AllocError) -> RestorePoint?
    /// A restore point of another allocator of the same type.
    func foreignRestorePoint() -> RestorePoint?
    func predictRestore(_ point: RestorePoint) -> Prediction
    func restore(to point: RestorePoint) throws(AllocError)
    func didRestore(to point: RestorePoint)

    func reset() throws(AllocError)
    /// Checks the model's own view of the state (`used`, counts) against the allocator's.
    func checkState() throws(FuzzFailure)
}

extension AllocatorModel {
    var targets: [AllocatorOperation.Target] { AllocatorOperation.Target.allCases }
    var bounds: Range<Int>? { nil }
    func predictReallocate(at address: Int, from old: Layout, to new: Layout) -> Prediction? { nil }

    /// In place: the old allocation goes, then the new one comes. Moved: the new memory is
    /// allocated first, then the old is given back, as the allocators do.
    func didReallocate(from old: Int, _ oldLayout: Layout, to new: Int, _ newLayout: Layout) {
        if new == old {
            _ = didDeallocate(at: old, oldLayout)
            didAllocate(at: new, newLayout)
        } else {
            didAllocate(at: new, newLayout)
            _ = didDeallocate(at: old, oldLayout)
        }
    }

    func takeRestorePoint() throws(AllocError) -> RestorePoint? { nil }
    func foreignRestorePoint() -> RestorePoint? { nil }
    func predictRestore(_ point: RestorePoint) -> Prediction { .succeeds }
    func restore(to point: RestorePoint) throws(AllocError) {}
    func didRestore(to point: RestorePoint) {}
}
