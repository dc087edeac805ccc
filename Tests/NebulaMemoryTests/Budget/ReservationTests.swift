import NebulaMemory
import Testing

@Suite("Reservation")
struct ReservationTests {
    @Test func growChargesEveryLevel() throws {
        let (root, mid, leaf) = try makeHierarchy()
        var held = try leaf.reserve(100)
        try held.grow(by: 250)
        #expect(held.bytes == 350)
        #expect([root.used, mid.used, leaf.used] == [350, 350, 350])
        #expect(leaf.statistics.reservations == 2)
    }

    @Test func deniedGrowthLeavesReservationAndBudgetsUnchanged() throws {
        let (root, mid, leaf) = try makeHierarchy()
        var held = try leaf.reserve(300)
        let error = #expect(throws: AllocError.self) { try held.grow(by: 101) }
        #expect(error?.code == .budgetExceeded)
        #expect(held.bytes == 300)
        #expect([root.used, mid.used, leaf.used] == [300, 300, 300])
        let negative = #expect(throws: AllocError.self) { try held.grow(by: -1) }
        #expect(negative?.code == .invalidLayout)
        #expect(held.bytes == 300)
    }

    @Test func growthThatOverflowsIsRejected() throws {
        let root = kept(try MemoryBudget(name: "engine", limit: .max))
        var held = try root.reserve(.max - 10)
        let error = #expect(throws: AllocError.self) { try held.grow(by: 11) }
        #expect(error?.code == .invalidLayout)
        #expect(held.bytes == .max - 10)
        #expect(root.used == .max - 10)
    }

    @Test func shrinkRefundsEveryLevel() throws {
        let (root, mid, leaf) = try makeHierarchy()
        var held = try leaf.reserve(300)
        try held.shrink(by: 120)
        #expect(held.bytes == 180)
        #expect([root.used, mid.used, leaf.used] == [180, 180, 180])
        try held.shrink(by: 180)
        #expect(held.bytes == 0)
        #expect(root.used == 0)
        held.release()
        #expect(root.used == 0)
    }

    @Test(arguments: [-1, 301])
    func badShrinkIsRejectedAndChangesNothing(amount: Int) throws {
        let (root, _, leaf) = try makeHierarchy()
        var held = try leaf.reserve(300)
        let error = #expect(throws: AllocError.self) { try held.shrink(by: amount) }
        #expect(error?.code == .invalidLayout)
        #expect(held.bytes == 300)
        #expect(root.used == 300)
    }

    @Test func releaseAfterGrowAndShrinkRefundsExactlyWhatIsHeld() throws {
        let (root, mid, leaf) = try makeHierarchy()
        let other = try mid.reserve(50)
        var held = try leaf.reserve(10)
        try held.grow(by: 90)
        try held.shrink(by: 30)
        held.release()
        #expect([root.used, mid.used, leaf.used] == [50, 50, 0])
        other.release()
        #expect(root.used == 0)
    }
}
