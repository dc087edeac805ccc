// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "nebula-memory",
    products: [
        .library(name: "NebulaMemory", targets: ["NebulaMemory"]),
        .library(name: "NebulaMemoryMetrics", targets: ["NebulaMemoryMetrics"]),
        .executable(name: "nebula-memory", targets: ["nebula-memory"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.0"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.0"),
    ],
    targets: [
        .target(name: "NebulaMemory", dependencies: ["_NebulaMemoryShims"]),
        // The registry through swift-metrics, events through swift-log, both as services.
        .target(
            name: "NebulaMemoryMetrics",
            dependencies: [
                "NebulaMemory",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        // Per-thread slot indices (C `_Thread_local`) and secure zeroing; internal.
        .target(name: "_NebulaMemoryShims"),
        // The benchmark's C floor: a minimal bump allocator and free list, not a product.
        .target(name: "CReference"),
        .executableTarget(
            name: "nebula-memory",
            dependencies: [
                "NebulaMemory",
                "CReference",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // Operation decoder and reference models: shared by the fuzz harnesses and the property tests.
        .target(name: "AllocatorFuzzing", dependencies: ["NebulaMemory"], path: "Fuzz/AllocatorFuzzing"),
        .testTarget(name: "NebulaMemoryTests", dependencies: ["NebulaMemory", "AllocatorFuzzing"]),
        .testTarget(
            name: "NebulaMemoryMetricsTests",
            dependencies: [
                "NebulaMemoryMetrics",
                .product(name: "MetricsTestKit", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        // The command-line tool's own logic (the soak verdict), tested through the executable.
        .testTarget(
            name: "NebulaMemoryCLITests",
            dependencies: ["nebula-memory", .product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),
    ],
    swiftLanguageModes: [.v6]
)

// libFuzzer harnesses (`Fuzz/run`): their entry point is `LLVMFuzzerTestOneInput`, and libFuzzer
// supplies `main`, so they link only in a `--sanitize=fuzzer` build and are declared only then.
let fuzzHarnesses = [
    "fuzz-bump", "fuzz-pool", "fuzz-stack", "fuzz-system", "fuzz-concurrent-bump", "fuzz-concurrent-pool",
    "fuzz-object-pool", "fuzz-budget",
]
if Context.environment["NEBULA_MEMORY_FUZZ"] != nil {
    for name in fuzzHarnesses {
        package.products.append(.executable(name: name, targets: [name]))
        package.targets.append(
            .executableTarget(name: name, dependencies: ["AllocatorFuzzing"], path: "Fuzz/Harnesses/\(name)"))
    }
}
