import NebulaMemory
import Testing

@Test func placeholder() throws {
    #expect(try Layout(size: 8).size == 8)
}
