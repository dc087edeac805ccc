import NebulaMemory
import Testing

/// The object-pool example of README.md, kept compiling and correct.
@Suite("README object pool example")
struct ReadmePoolExampleTests {
    final class Parser: Poolable {
        var tokens: [String] = []
        func prepareForReuse() { tokens.removeAll(keepingCapacity: true) }
    }

    @Test func objectPoolExampleRuns() throws {
        var configuration = ObjectPoolConfiguration<Parser>.default
        configuration.maxIdle = 8
        configuration.idleTimeout = .seconds(60)
        let parsers = try ObjectPool(capacity: 32, configuration: configuration) { Parser() }

        let count = try parsers.withObject { parser in
            parser.tokens = "a b c".split(separator: " ").map(String.init)
            return parser.tokens.count
        }
        #expect(count == 3)
        #expect(parsers.idleCount == 1)

        do {
            let parser = try parsers.checkout()
            #expect(parser.value.tokens.isEmpty)  // prepared for reuse
            parser.value.tokens.append("x")
        }
        let kept = try parsers.checkout().detach()
        #expect(kept.tokens.isEmpty)
        #expect(parsers.inUseCount == 0)
        #expect(parsers.idleCount == 0)
        #expect(parsers.statistics?.detached == 1)
    }
}
