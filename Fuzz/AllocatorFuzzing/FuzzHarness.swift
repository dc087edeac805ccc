import NebulaMemory

/// The fuzz targets: one per allocator (and for object pools and budgets), each decoding its
/// input into operations checked against a reference model.
public enum FuzzHarness: String, CaseIterable, Sendable {
    case bump
    case pool
    case stack
    case system
    case concurrentBump = "concurrent-bump"
    case concurrentPool = "concurrent-pool"
    case objectPool = "object-pool"
    case budget

    /// Runs one input; throws where the allocator and its model disagree.
    ///
    /// The first bytes choose the configuration, so the fuzzer explores all of them.
    public func run(_ bytes: some Sequence<UInt8>) throws(FuzzFailure) {
        var input = FuzzInput(bytes)
        switch self {
        case .bump:
            let configuration = Self.preset(
                &input, [BumpAllocator.Configuration.default, .debug, .performance], .hardened)
            try drive(&input) { () throws(AllocError) in
                try BumpModel(capacity: 16 * 1024, configuration: configuration)
            }
        case .stack:
            let configuration = Self.preset(
                &input, [StackAllocator.Configuration.default, .debug, .performance], .hardened)
            try drive(&input) { () throws(AllocError) in
                try StackModel(capacity: 16 * 1024, configuration: configuration)
            }
        case .pool:
            let shape = PoolShape(decoding: &input)
            try drive(&input) { () throws(AllocError) in
                PoolModel(try PoolAllocator(shape), shape) { .init(used: $0.usedBlockCount, statistics: $0.statistics) }
            }
        case .concurrentPool:
            let shape = PoolShape(decoding: &input)
            try drive(&input) { () throws(AllocError) in
                PoolModel(try ConcurrentPoolAllocator(shape), shape) {
                    .init(used: $0.usedBlockCount, statistics: $0.statistics)
                }
            }
        case .system:
            try drive(&input) { SystemModel() }
        case .concurrentBump:
            var configuration = input.pick([ConcurrentBumpAllocator.Configuration.default, .debug, .performance])
            configuration.threadBufferSize = input.pick([0, 256, 1024, 4096])
            try drive(&input) { () throws(AllocError) in
                try ConcurrentBumpModel(capacity: 16 * 1024, configuration: configuration)
            }
        case .budget:
            try BudgetFuzzDriver(&input).run(&input)
        case .objectPool:
            try ObjectPoolFuzzDriver(&input).run(&input)
        }
    }

    /// One of `presets`, or `hardened` for a first byte of 0xF0 and above (so that inputs made
    /// before hardened mode was fuzzed mostly keep their meaning).
    private static func preset<Configuration>(
        _ input: inout FuzzInput, _ presets: [Configuration], _ hardened: Configuration
    ) -> Configuration {
        let selector = input.byte()
        return selector >= 0xF0 ? hardened : presets[Int(selector) % presets.count]
    }

    private func drive<Model: AllocatorModel>(
        _ input: inout FuzzInput, _ makeModel: () throws(AllocError) -> Model
    ) throws(FuzzFailure) {
        let model: Model
        do throws(AllocError) {
            model = try makeModel()
        } catch {
            throw FuzzFailure("creating the \(rawValue) allocator failed: \(error)")
        }
        try AllocatorFuzzDriver(model).run(&input)
    }

    /// The libFuzzer entry: runs one input and stops the process with the model's report
    /// when the allocator and its model disagree, which libFuzzer records as a crash.
    public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
        do {
            try run(UnsafeBufferPointer(start: data, count: size))
        } catch {
            fatalError("\(rawValue): \(error)")
        }
        return 0
    }
}
