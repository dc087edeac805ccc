import NebulaMemory
import Testing

@Suite("MemoryOps")
struct MemoryOpsTests {
    /// A 64-byte buffer filled with 0xAB, for zeroing part of it.
    private func withFilledBuffer(_ body: (UnsafeMutableRawBufferPointer) -> Void) {
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 64, alignment: 16)
        defer { buffer.deallocate() }
        buffer.initializeMemory(as: UInt8.self, repeating: 0xAB)
        body(buffer)
    }

    @Test(arguments: [(0, 64), (8, 32), (3, 1), (63, 1), (17, 46)])
    func secureZeroOfABufferZeroesExactlyItsRange(start: Int, count: Int) {
        withFilledBuffer { buffer in
            MemoryOps.secureZero(UnsafeMutableRawBufferPointer(rebasing: buffer[start..<start + count]))
            for index in 0..<64 {
                let expected: UInt8 = (start..<start + count).contains(index) ? 0 : 0xAB
                #expect(buffer[index] == expected, "byte \(index)")
            }
        }
    }

    @Test(arguments: [(0, 64), (8, 32), (5, 0), (40, 24)])
    func secureZeroOfAPointerZeroesExactlyCountBytes(start: Int, count: Int) {
        withFilledBuffer { buffer in
            MemoryOps.secureZero(buffer.baseAddress! + start, count: count)
            for index in 0..<64 {
                let expected: UInt8 = (start..<start + count).contains(index) ? 0 : 0xAB
                #expect(buffer[index] == expected, "byte \(index)")
            }
        }
    }

    @Test func emptyBuffersAreLeftAlone() {
        MemoryOps.secureZero(UnsafeMutableRawBufferPointer(start: nil, count: 0))
        withFilledBuffer { buffer in
            MemoryOps.secureZero(UnsafeMutableRawBufferPointer(rebasing: buffer[10..<10]))
            #expect(buffer.allSatisfy { $0 == 0xAB })
        }
    }
}
