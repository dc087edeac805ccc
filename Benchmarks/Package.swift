// swift-tools-version: 6.1
import PackageDescription

// The malloc-counting benchmark suite of NebulaMemory (ordo-one/benchmark), a package of its
// own so that the library never depends on the benchmark tooling. Run `./check`.
let package = Package(
    name: "NebulaMemoryBenchmarks",
    dependencies: [
        // Named explicitly: a clone in a folder of another name still resolves the root package.
        .package(name: "nebula-memory", path: ".."),
        // The MallocInterposer trait alone: the default traits pull in a runtime interposer that
        // does not resolve on Linux with Swift 6.3.
        .package(url: "https://github.com/ordo-one/benchmark", exact: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        .executableTarget(
            name: "AllocatorBenchmarks",
            dependencies: [
                .product(name: "NebulaMemory", package: "nebula-memory"),
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "Benchmarks/AllocatorBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        )
    ],
    swiftLanguageModes: [.v6]
)
