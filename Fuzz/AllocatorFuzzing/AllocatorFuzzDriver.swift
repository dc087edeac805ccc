import NebulaMemory

/// Runs a decoded operation sequence against an allocator and its reference model, checking
/// after every step: pointers aligned and inside the allocator's memory, no two live
/// allocations overlapping, every live allocation's bytes intact, each error exactly where the
/// model predicts one (with its code), and the observable state unchanged by every error.
final class AllocatorFuzzDriver<Model: AllocatorModel>: FuzzDriver {
    private let model: Model
    private var live: [TrackedAllocation] = []
    /// Freed or reclaimed allocations, newest last, for double and stale frees.
    private var freed: [TrackedAllocation] = []
    private var points: [(point: Model.RestorePoint, sequence: Int)] = []
    private var sequence = 0
    private(set) var trace: [String] = []
    /// Memory no allocator handed out: the source of foreign pointers.
    private let foreign = UnsafeMutableRawPointer.allocate(byteCount: 4096, alignment: 4096)

    init(_ model: Model) {
        self.model = model
    }

    deinit {
        foreign.deallocate()
    }

    func step(_ input: inout FuzzInput) throws(FuzzFailure) {
        let operation = AllocatorOperation(decoding: &input)
        trace.append(operation.description)
        try perform(operation)
    }

    func checkInvariants() throws(FuzzFailure) {
        for allocation in live { try allocation.verifyPattern(full: false) }
        try model.checkState()
    }

    private func perform(_ operation: AllocatorOperation) throws(FuzzFailure) {
        switch operation {
        case .allocate(let size, let alignment): try allocate(size: size, alignment: alignment)
        case .deallocate(let slot, let target): try deallocate(slot: slot, target: target)
        case .rewrite(let slot):
            guard !live.isEmpty else { return }
            let index = slot % live.count
            live[index].seed &+= 101
            live[index].writePattern()
        case .reallocate(let slot, let size, let alignment):
            try reallocate(slot: slot, size: size, alignment: alignment)
        case .takeRestorePoint:
            do throws(AllocError) {
                if let point = try model.takeRestorePoint() { points.append((point, sequence)) }
            } catch {
                throw FuzzFailure("taking a restore point failed: \(error.code.rawValue) \(error.message)")
            }
        case .restore(let slot, let foreign): try restore(slot: slot, foreign: foreign)
        case .reset:
            do throws(AllocError) { try model.reset() } catch {
                throw FuzzFailure("reset failed: \(error.code.rawValue) \(error.message)")
            }
            freed += live
            live.removeAll()
        }
        if freed.count > 64 { freed.removeFirst(freed.count - 64) }
    }

    private func allocate(size: Int, alignment: Int) throws(FuzzFailure) {
        let layout: Layout
        do throws(AllocError) {
            layout = try Layout(size: size, alignment: alignment)
        } catch {
            let expected: AllocError.Code =
                size < 0
                ? .invalidLayout
                : (alignment <= 0 || alignment > 4096 || alignment & (alignment - 1) != 0)
                    ? .invalidAlignment : .sizeOverflow
            try require(error.code == expected, "Layout(size: \(size), alignment: \(alignment)) threw \(error.code)")
            return
        }
        try require(size >= 0 && alignment > 0, "Layout accepted size \(size), alignment \(alignment)")
        let prediction = model.predictAllocate(layout)
        let before = model.observed
        let pointer: UnsafeMutableRawPointer
        do throws(AllocError) {
            pointer = try model.subject.allocate(layout)
        } catch {
            return try checkFailure(error, prediction, before: before, failedAllocation: true)
        }
        let address = Int(bitPattern: pointer)
        switch prediction {
        case .failure(let code): throw FuzzFailure("allocate(\(layout)) succeeded at \(address), expected \(code)")
        case .success(let expected?) where expected != address:
            throw FuzzFailure("allocate(\(layout)) returned \(address), expected \(expected)")
        default: break
        }
        try require(address % layout.alignment == 0, "allocate(\(layout)) returned misaligned \(address)")
        if let bounds = model.bounds {
            try require(
                address >= bounds.lowerBound && address + layout.size <= bounds.upperBound,
                "allocate(\(layout)) returned \(address), outside the allocator's memory \(bounds)")
        }
        sequence += 1
        let allocation = TrackedAllocation(
            address: address, layout: layout, seed: UInt8(truncatingIfNeeded: sequence), sequence: sequence)
        if let other = live.first(where: { $0.overlaps(allocation) }) {
            throw FuzzFailure(
                "allocate(\(layout)) returned \(address), overlapping live \(other.address) (\(other.layout))")
        }
        freed.removeAll { $0.address < allocation.end && allocation.address < $0.end || $0.address == address }
        allocation.writePattern()
        live.append(allocation)
        model.didAllocate(at: address, layout)
    }

    private func deallocate(slot: Int, target: AllocatorOperation.Target) throws(FuzzFailure) {
        guard model.targets.contains(target) else { return }
        let address: Int
        let layout: Layout
        switch target {
        case .live, .wrongSize, .misaligned:
            guard !live.isEmpty else { return }
            let index = slot % live.count
            let allocation = live[index]
            try allocation.verifyPattern(full: true)
            address = allocation.address + (target == .misaligned ? 1 : 0)
            if target == .wrongSize {
                guard let larger = try? Layout(size: allocation.layout.size + 1, alignment: allocation.layout.alignment)
                else { return }
                layout = larger
            } else {
                layout = allocation.layout
            }
        case .freed:
            guard let allocation = freed.isEmpty ? nil : freed[slot % freed.count] else { return }
            // Freed memory may be handed out again: only an address no live allocation uses.
            guard !live.contains(where: { $0.address == allocation.address || $0.overlaps(allocation) }) else { return }
            address = allocation.address
            layout = allocation.layout
        case .foreign:
            address = Int(bitPattern: foreign) + (slot * 16) % 2048
            layout = (try? Layout(size: 16, alignment: 16))!
        }
        let prediction = model.predictDeallocate(at: address, layout)
        let before = model.observed
        do throws(AllocError) {
            try model.subject.deallocate(UnsafeMutableRawPointer(bitPattern: address)!, layout: layout)
        } catch {
            return try checkFailure(error, prediction, before: before, failedAllocation: false)
        }
        if case .failure(let code) = prediction {
            throw FuzzFailure("deallocate(\(address), \(layout)) succeeded, expected \(code)")
        }
        // The allocation at `address` is freed (an arena may keep its bytes, but its owner let
        // go of it); a cursor moved back reclaims everything above it.
        let reclaimedFrom = model.didDeallocate(at: address, layout) ?? Int.max
        freed += live.filter { $0.address == address || $0.address >= reclaimedFrom }
        live.removeAll { $0.address == address || $0.address >= reclaimedFrom }
    }

    /// Errors a resize of a live allocation may meet when the model cannot say which.
    private static var reallocationFailures: Set<AllocError.Code> {
        [.arenaExhausted, .poolExhausted, .outOfMemory, .invalidLayout, .lifoViolation]
    }

    private func reallocate(slot: Int, size: Int, alignment: Int) throws(FuzzFailure) {
        guard !live.isEmpty, let new = try? Layout(size: size, alignment: alignment) else { return }
        let index = slot % live.count
        let allocation = live[index]
        try allocation.verifyPattern(full: true)
        let prediction = model.predictReallocate(at: allocation.address, from: allocation.layout, to: new)
        let before = model.observed
        let pointer: UnsafeMutableRawPointer
        do throws(AllocError) {
            pointer = try model.subject.reallocate(
                UnsafeMutableRawPointer(bitPattern: allocation.address)!, from: allocation.layout, to: new)
        } catch {
            if let prediction {
                try checkFailure(error, prediction, before: before, failedAllocation: true)
            } else {
                try require(
                    Self.reallocationFailures.contains(error.code),
                    "reallocate(\(allocation.address), \(allocation.layout) to \(new)) threw \(error.code.rawValue)")
                let after = model.observed
                try require(
                    after.isUnchanged(from: before, failedAllocation: error.code),
                    "state changed by a failed reallocate: before \(before), after \(after)")
            }
            return try allocation.verifyPattern(full: true)
        }
        let address = Int(bitPattern: pointer)
        switch prediction {
        case .failure(let code)?: throw FuzzFailure("reallocate to \(new) succeeded at \(address), expected \(code)")
        case .success(let expected?)? where expected != address:
            throw FuzzFailure("reallocate to \(new) returned \(address), expected \(expected)")
        default: break
        }
        try require(address % new.alignment == 0, "reallocate to \(new) returned misaligned \(address)")
        if let bounds = model.bounds {
            try require(
                address >= bounds.lowerBound && address + new.size <= bounds.upperBound,
                "reallocate to \(new) returned \(address), outside the allocator's memory \(bounds)")
        }
        let kept = (try? Layout(size: Swift.min(allocation.layout.size, new.size), alignment: 1))!
        try TrackedAllocation(address: address, layout: kept, seed: allocation.seed, sequence: 0).verifyPattern(
            full: true)
        sequence += 1
        let resized = TrackedAllocation(address: address, layout: new, seed: allocation.seed, sequence: sequence)
        live.remove(at: index)
        if let other = live.first(where: { $0.overlaps(resized) }) {
            throw FuzzFailure("reallocate to \(new) returned \(address), overlapping live \(other.address)")
        }
        freed.removeAll { $0.overlaps(resized) || $0.address == address }
        if address != allocation.address, !allocation.overlaps(resized) { freed.append(allocation) }
        resized.writePattern()
        live.append(resized)
        model.didReallocate(from: allocation.address, allocation.layout, to: address, new)
    }

    private func restore(slot: Int, foreign: Bool) throws(FuzzFailure) {
        let entry: (point: Model.RestorePoint, sequence: Int)
        if foreign {
            guard let point = model.foreignRestorePoint() else { return }
            entry = (point, 0)
        } else {
            guard !points.isEmpty else { return }
            entry = points[slot % points.count]
        }
        let prediction = model.predictRestore(entry.point)
        let before = model.observed
        do throws(AllocError) {
            try model.restore(to: entry.point)
        } catch {
            return try checkFailure(error, prediction, before: before, failedAllocation: false)
        }
        if case .failure(let code) = prediction {
            throw FuzzFailure("restore succeeded, expected \(code)")
        }
        model.didRestore(to: entry.point)
        freed += live.filter { $0.sequence > entry.sequence }
        live.removeAll { $0.sequence > entry.sequence }
    }

    private func checkFailure(
        _ error: AllocError, _ prediction: Prediction, before: ObservedState, failedAllocation: Bool
    ) throws(FuzzFailure) {
        switch prediction {
        case .failure(let code), .either(let code):
            try require(
                error.code == code, "threw \(error.code.rawValue) (\(error.message)), expected \(code.rawValue)")
        case .success:
            throw FuzzFailure("threw \(error.code.rawValue) (\(error.message)), expected \(prediction)")
        }
        let after = model.observed
        try require(
            after.isUnchanged(from: before, failedAllocation: failedAllocation ? error.code : nil),
            "state changed by a failed operation: before \(before), after \(after)")
    }
}
