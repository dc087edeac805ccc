import NebulaMemory

/// An allocation the driver handed out and watches: its bytes hold a pattern derived from
/// `seed` that must stay intact while it is live.
struct TrackedAllocation {
    var address: Int
    var layout: Layout
    var seed: UInt8
    /// Order of allocation: restore points reclaim everything allocated after theirs.
    var sequence: Int

    var end: Int { address + layout.size }

    /// Bytes checked at each end of a large allocation after every step (all are checked
    /// before it is freed), which keeps a step's cost independent of allocation sizes.
    static let checkedEdge = 256

    private func expected(_ index: Int) -> UInt8 {
        seed &+ UInt8(truncatingIfNeeded: index &* 31 &+ index >> 8)
    }

    func writePattern() {
        let bytes = UnsafeMutableRawPointer(bitPattern: address)
        for index in 0..<layout.size { bytes?.storeBytes(of: expected(index), toByteOffset: index, as: UInt8.self) }
    }

    /// Fails at the first byte that differs from the pattern.
    func verifyPattern(full: Bool) throws(FuzzFailure) {
        guard layout.size > 0, let bytes = UnsafeRawPointer(bitPattern: address) else { return }
        let edge = TrackedAllocation.checkedEdge
        if full || layout.size <= 2 * edge {
            try verify(bytes, 0..<layout.size)
        } else {
            try verify(bytes, 0..<edge)
            try verify(bytes, (layout.size - edge)..<layout.size)
        }
    }

    private func verify(_ bytes: UnsafeRawPointer, _ range: Range<Int>) throws(FuzzFailure) {
        for index in range where bytes.load(fromByteOffset: index, as: UInt8.self) != expected(index) {
            throw FuzzFailure(
                "live allocation at \(address) (\(layout)) was overwritten at byte \(index): "
                    + "\(bytes.load(fromByteOffset: index, as: UInt8.self)), expected \(expected(index))")
        }
    }

    func overlaps(_ other: TrackedAllocation) -> Bool {
        // Zero-size allocations own no bytes and may share an address with anything.
        layout.size > 0 && other.layout.size > 0 && address < other.end && other.address < end
    }
}
