import NebulaMemory
import Testing

@Suite("AllocError")
struct AllocErrorTests {
    private static let requiredCodes: [(AllocError.Code, String)] = [
        (.outOfMemory, "ALLOC_OUT_OF_MEMORY"),
        (.sizeOverflow, "ALLOC_SIZE_OVERFLOW"),
        (.invalidAlignment, "ALLOC_INVALID_ALIGNMENT"),
        (.exceedsMaxSize, "ALLOC_EXCEEDS_MAX_SIZE"),
        (.invalidLayout, "ALLOC_INVALID_LAYOUT"),
        (.invalidConfiguration, "ALLOC_INVALID_CONFIGURATION"),
        (.invalidState, "ALLOC_INVALID_STATE"),
        (.concurrentAccess, "ALLOC_CONCURRENT_ACCESS"),
        (.resourceLimit, "ALLOC_RESOURCE_LIMIT"),
        (.poolExhausted, "ALLOC_POOL_EXHAUSTED"),
        (.arenaExhausted, "ALLOC_ARENA_EXHAUSTED"),
        (.denied, "ALLOC_DENIED"),
        (.invalidPointer, "ALLOC_INVALID_POINTER"),
        (.doubleFree, "ALLOC_DOUBLE_FREE"),
        (.lifoViolation, "ALLOC_LIFO_VIOLATION"),
        (.budgetExceeded, "ALLOC_BUDGET_EXCEEDED"),
    ]

    @Test func allocatorKindsKeepTheirWords() {
        let words: [(AllocError.AllocatorKind, String)] = [
            (.arena, "arena"), (.stack, "stack"), (.pool, "pool"), (.objectPool, "object pool"),
            (.budget, "budget"), (.context, "context"), (.monitor, "monitor"), (.system, "system"),
        ]
        #expect(words.count == AllocError.AllocatorKind.allCases.count)
        for (kind, word) in words {
            #expect(kind.rawValue == word)
            #expect("\(kind)" == word)
            #expect(AllocError.AllocatorKind(rawValue: word) == kind)
        }
    }

    @Test func foreignPointerMessageNamesTheAllocatorKind() throws {
        let pool = try PoolAllocator(blockSize: 16, blockCount: 4)
        var outside = 0
        let error = try #require(
            expectAllocError(.invalidPointer) {
                try withUnsafeMutableBytes(of: &outside) { try pool.deallocateBlock($0.baseAddress!) }
            })
        #expect(error.allocatorKind == .pool)
        #expect(error.description.contains("pool"))
    }

    @Test func exhaustedArenaErrorDescribesRequestAndState() throws {
        let arena = try BumpAllocator(capacity: 64)
        let request = try Layout(size: 128, alignment: 8)
        let error = try #require(expectAllocError(.arenaExhausted) { try arena.allocate(request) })
        #expect(error.layout == request)
        #expect(error.allocatorKind == .arena)
        #expect(error.capacity == 64)
        #expect(error.used == 0)
        #expect(error.available == 64)
        #expect(error.severity == AllocError.Code.arenaExhausted.entry.severity)
        #expect(error.suggestion == AllocError.Code.arenaExhausted.entry.fix)

        let lines = error.description.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines.first == "\(error.severity.rawValue)[ALLOC_ARENA_EXHAUSTED]: bump arena has insufficient space")
        #expect(lines.contains("  requested: 128 bytes, alignment 8"))
        #expect(lines.contains("  arena: capacity 64, used 0, available 64"))
        #expect(lines.last == "  help: \(AllocError.Code.arenaExhausted.entry.fix)")
    }

    @Test func exhaustedArenaDescriptionReadsLikeACompilerDiagnostic() throws {
        let arena = try BumpAllocator(capacity: 65536)
        _ = try arena.allocate(Layout(size: 63488, alignment: 16))
        let error = try #require(
            expectAllocError(.arenaExhausted) { try arena.allocate(Layout(size: 4096, alignment: 16)) })
        #expect(
            error.description == """
                error[ALLOC_ARENA_EXHAUSTED]: bump arena has insufficient space
                  requested: 4096 bytes, alignment 16
                  arena: capacity 65536, used 63488, available 2048
                  help: create the arena with a larger capacity or .chunked growth, or reset it per execution
                """)
    }

    @Test func exhaustedArenaErrorReportsBytesAlreadyUsed() throws {
        let arena = try BumpAllocator(capacity: 64)
        _ = try arena.allocate(Layout(size: 40, alignment: 8))
        let error = try #require(
            expectAllocError(.arenaExhausted) { try arena.allocate(Layout(size: 32, alignment: 8)) })
        #expect(error.capacity == 64)
        #expect(error.used == 40)
        #expect(error.available == 24)
        #expect(error.description.contains("\n  arena: capacity 64, used 40, available 24\n"))
        #expect(error.description.contains("\n  requested: 32 bytes, alignment 8\n"))
    }

    @Test func descriptionListsEveryPartInOrder() throws {
        let error = AllocError(
            .poolExhausted, "all 4 blocks of the pool are in use", layout: try Layout(size: 32, alignment: 16),
            allocatorKind: .pool, capacity: 128, used: 128, available: 0, severity: .critical,
            suggestion: "free something", notes: ["first note", "second note"])
        #expect(
            error.description == """
                critical[ALLOC_POOL_EXHAUSTED]: all 4 blocks of the pool are in use
                  requested: 32 bytes, alignment 16
                  pool: capacity 128, used 128, available 0
                  note: first note
                  note: second note
                  help: free something
                """)
    }

    @Test func descriptionOmitsMissingParts() {
        let error = AllocError(.denied, "refused by policy")
        #expect(
            error.description == "warning[ALLOC_DENIED]: refused by policy\n  help: \(AllocError.Code.denied.entry.fix)"
        )
        let partial = AllocError(.invalidState, "stale", used: 12)
        #expect(
            partial.description.split(separator: "\n").map(String.init) == [
                "error[ALLOC_INVALID_STATE]: stale", "  allocator: used 12",
                "  help: \(AllocError.Code.invalidState.entry.fix)",
            ])
    }

    @Test func severityAndSuggestionDefaultToTheCatalog() {
        for code in AllocError.Code.allCases {
            let error = AllocError(code, "message")
            #expect(error.severity == code.entry.severity, "\(code)")
            #expect(error.suggestion == code.entry.fix, "\(code)")
            #expect(error.notes.isEmpty)
            #expect(error.layout == nil)
        }
        let custom = AllocError(.doubleFree, "m", severity: .warning, suggestion: "do X")
        #expect(custom.severity == .warning)
        #expect(custom.suggestion == "do X")
    }

    @Test func everyCodeHasAnAllocPrefixedUniqueRawValue() {
        let rawValues = AllocError.Code.allCases.map(\.rawValue)
        #expect(rawValues.allSatisfy { $0.hasPrefix("ALLOC_") })
        #expect(Set(rawValues).count == rawValues.count)
        #expect(AllocError.Code.allCases.allSatisfy { $0.description == $0.rawValue })
    }

    @Test func everyCodeHasACompleteCatalogEntry() {
        for code in AllocError.Code.allCases {
            let entry = code.entry
            #expect(entry.code == code)
            #expect(!entry.title.isEmpty, "\(code)")
            #expect(!entry.explanation.isEmpty, "\(code)")
            #expect(!entry.commonCauses.isEmpty, "\(code)")
            #expect(entry.commonCauses.allSatisfy { !$0.isEmpty }, "\(code)")
            #expect(!entry.fix.isEmpty, "\(code)")
        }
    }

    @Test func requiredCodesExistWithTheirExactRawValues() {
        for (code, rawValue) in Self.requiredCodes {
            #expect(code.rawValue == rawValue)
            #expect(AllocError.Code(rawValue: rawValue) == code)
        }
        #expect(Set(Self.requiredCodes.map(\.0)) == Set(AllocError.Code.allCases))
    }

    @Test(arguments: [
        ("out_of_memory", AllocError.Code.outOfMemory),
        ("alloc-out-of-memory", .outOfMemory),
        ("ALLOC_OUT_OF_MEMORY", .outOfMemory),
        ("Alloc_Out_Of_Memory", .outOfMemory),
        ("pool-exhausted", .poolExhausted),
        ("DOUBLE_FREE", .doubleFree),
        ("lifo_violation", .lifoViolation),
    ])
    func lenientLookupAcceptsCaseDashesAndMissingPrefix(text: String, code: AllocError.Code) {
        #expect(AllocError.Code(lenient: text) == code)
    }

    @Test(arguments: ["", "memory", "out of memory", "ALLOC_", "ALLOC_NOPE", "alloc_alloc_denied"])
    func lenientLookupRejectsUnknownText(text: String) {
        #expect(AllocError.Code(lenient: text) == nil)
    }

    @Test func lenientLookupFindsEveryCode() {
        for code in AllocError.Code.allCases {
            let bare = String(code.rawValue.dropFirst("ALLOC_".count))
            #expect(AllocError.Code(lenient: bare.lowercased()) == code)
            #expect(AllocError.Code(lenient: dashed(code.rawValue.lowercased())) == code)
        }
    }

    @Test func errorsAreEquatableByValue() throws {
        let layout = try Layout(size: 8, alignment: 8)
        let a = AllocError(.invalidPointer, "bad", layout: layout, allocatorKind: .arena, notes: ["n"])
        let b = AllocError(.invalidPointer, "bad", layout: layout, allocatorKind: .arena, notes: ["n"])
        #expect(a == b)
        #expect(a != AllocError(.doubleFree, "bad", layout: layout, allocatorKind: .arena, notes: ["n"]))
        #expect(a != AllocError(.invalidPointer, "other", layout: layout, allocatorKind: .arena, notes: ["n"]))
        #expect(a != AllocError(.invalidPointer, "bad", allocatorKind: .arena, notes: ["n"]))
        #expect(a != AllocError(.invalidPointer, "bad", layout: layout, allocatorKind: .arena, notes: []))
    }

    @Test func mutatingACopyLeavesTheOriginalUnchanged() throws {
        let original = AllocError(.arenaExhausted, "full", allocatorKind: .arena, capacity: 64, used: 64, available: 0)
        var copy = original
        #expect(copy == original)
        copy.message = "changed"
        copy.layout = try Layout(size: 16, alignment: 16)
        copy.allocatorKind = .stack
        copy.capacity = 128
        copy.used = 8
        copy.available = 120
        copy.severity = .critical
        copy.suggestion = "try again"
        copy.notes = ["a note"]
        copy.code = .denied
        #expect(original.message == "full")
        #expect(original.layout == nil)
        #expect(original.allocatorKind == .arena)
        #expect(original.capacity == 64)
        #expect(original.used == 64)
        #expect(original.available == 0)
        #expect(original.severity == .error)
        #expect(original.notes.isEmpty)
        #expect(original.code == .arenaExhausted)
        #expect(copy != original)
        #expect(
            copy.description == """
                critical[ALLOC_DENIED]: changed
                  requested: 16 bytes, alignment 16
                  stack: capacity 128, used 8, available 120
                  note: a note
                  help: try again
                """)
    }

    @Test func severitiesAreOrderedBySeriousness() {
        #expect(AllocError.Severity.warning < .error)
        #expect(AllocError.Severity.error < .critical)
        #expect(AllocError.Severity.warning < .critical)
        #expect(!(AllocError.Severity.critical < .critical))
        #expect(!(AllocError.Severity.critical < .warning))
        #expect([AllocError.Severity.critical, .warning, .error].sorted() == [.warning, .error, .critical])
        #expect(AllocError.Severity.allCases.map(\.rawValue) == ["warning", "error", "critical"])
    }

    @Test func catalogSeveritiesMatchTheirMeaning() {
        #expect(AllocError.Code.doubleFree.entry.severity == .critical)
        #expect(AllocError.Code.invalidPointer.entry.severity == .critical)
        #expect(AllocError.Code.outOfMemory.entry.severity == .critical)
        #expect(AllocError.Code.poolExhausted.entry.severity == .error)
        #expect(AllocError.Code.arenaExhausted.entry.severity == .error)
        #expect(AllocError.Code.budgetExceeded.entry.severity == .warning)
        #expect(AllocError.Code.invalidLayout.entry.severity == .error)
    }
}

private func dashed(_ text: String) -> String {
    String(text.map { $0 == "_" ? "-" : $0 })
}

@Suite("AllocError.Code lookup")
struct AllocErrorCodeLookupTests {
    @Test func closestCodesRankAMistypedNameFirst() {
        #expect(AllocError.Code.closest(to: "DOUBLE_FRE").first == .doubleFree)
        #expect(AllocError.Code.closest(to: "alloc_pool_exausted").first == .poolExhausted)
        #expect(AllocError.Code.closest(to: "ALLOC-LIFO-VIOLATON").first == .lifoViolation)
    }

    @Test func closestCodesHonourTheLimit() {
        #expect(AllocError.Code.closest(to: "anything").count == 3)
        #expect(AllocError.Code.closest(to: "anything", limit: 5).count == 5)
        #expect(AllocError.Code.closest(to: "anything", limit: 0).isEmpty)
        #expect(AllocError.Code.closest(to: "anything", limit: -1).isEmpty)
        #expect(Set(AllocError.Code.closest(to: "x", limit: 100)) == Set(AllocError.Code.allCases))
    }

    @Test func lenientLookupIgnoresCaseDashesAndPrefix() {
        #expect(AllocError.Code(lenient: "arena_exhausted") == .arenaExhausted)
        #expect(AllocError.Code(lenient: "Alloc-Arena-Exhausted") == .arenaExhausted)
        #expect(AllocError.Code(lenient: "ARENA_EXHAUST") == nil)
        #expect(AllocError.Code(lenient: "") == nil)
    }
}
