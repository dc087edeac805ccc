// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "nebula-memory",
    products: [
        .library(name: "NebulaMemory", targets: ["NebulaMemory"]),
        .executable(name: "nebula-memory", targets: ["nebula-memory"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.0")
    ],
    targets: [
        .target(name: "NebulaMemory", dependencies: ["_NebulaMemoryShims"]),
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
        .testTarget(name: "NebulaMemoryTests", dependencies: ["NebulaMemory"]),
        // The command-line tool's own logic (the soak verdict), tested through the executable.
        .testTarget(
            name: "NebulaMemoryCLITests",
            dependencies: ["nebula-memory", .product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),
    ],
    swiftLanguageModes: [.v6]
)
