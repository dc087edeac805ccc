import NebulaMemory
import Testing

// The bad-input cases of the object pools. The objects are plain integers: what matters is the
// pool's bookkeeping.

/// The bad configurations every pool type refuses, as (input, configuration, capacity).
private let badPoolConfigurations: [(String, ObjectPoolConfiguration<Int>, Int)] = [
    ("`capacity: 0`", .default, 0),
    ("`capacity: -1`", .default, -1),
    ("`maxIdle: -1`", .init(maxIdle: -1), 4),
    ("`idleTimeout: .zero`", .init(idleTimeout: .zero), 4),
    ("`maxLifetime: .seconds(-1)`", .init(maxLifetime: .seconds(-1)), 4),
    ("`leakDetectionThreshold: .zero`", .init(leakDetectionThreshold: .zero), 4),
]

// MARK: - ObjectPool

let objectPoolCases: [BadInputCase] =
    badPoolConfigurations.map { input, configuration, capacity in
        BadInputCase("ObjectPool", input, .error(.invalidConfiguration)) { probe in
            await probe.attempt { _ = try ObjectPool(capacity: capacity, configuration: configuration) { 0 } }
        }
    } + [
        BadInputCase("ObjectPool", "`checkout()` with every object out", .error(.poolExhausted)) { probe in
            let pool = try ObjectPool(capacity: 2) { 0 }
            let first = try pool.checkout()
            let second = try pool.checkout()
            let error = await probe.attempt(observing: pool.observedState) { _ = try pool.checkout() }
            _ = (first.value, second.value)
            return error
        },
        BadInputCase("ObjectPool", "`checkout(count: -1)`", .error(.invalidLayout)) { probe in
            let pool = try ObjectPool(capacity: 4) { 0 }
            return await probe.attempt(observing: pool.observedState) { _ = try pool.checkout(count: -1) }
        },
        BadInputCase("ObjectPool", "`checkout(count: 4)` with 3 of 4 free", .error(.poolExhausted)) { probe in
            let pool = try ObjectPool(capacity: 4) { 0 }
            pool.prefill(2)
            let held = try pool.checkout()
            let error = await probe.attempt(observing: pool.observedState) { _ = try pool.checkout(count: 4) }
            _ = held.value
            return error
        },
    ]
    + badPoolConfigurations.map { input, configuration, capacity in
        BadInputCase("ConcurrentObjectPool", input, .error(.invalidConfiguration)) { probe in
            await probe.attempt { _ = try ConcurrentObjectPool(capacity: capacity, configuration: configuration) { 0 } }
        }
    } + [
        BadInputCase("ConcurrentObjectPool", "`checkout()` with every object out", .error(.poolExhausted)) { probe in
            let pool = try ConcurrentObjectPool(capacity: 2) { 0 }
            let first = try pool.checkout()
            let second = try pool.checkout()
            let error = await probe.attempt(observing: pool.observedState) { _ = try pool.checkout() }
            _ = (first.value, second.value)
            return error
        },
        BadInputCase("ConcurrentObjectPool", "`checkout(count: -1)`", .error(.invalidLayout)) { probe in
            let pool = try ConcurrentObjectPool(capacity: 4) { 0 }
            return await probe.attempt(observing: pool.observedState) { _ = try pool.checkout(count: -1) }
        },
        BadInputCase("ConcurrentObjectPool", "`checkout(count: 4)` with 3 of 4 free", .error(.poolExhausted)) {
            probe in
            let pool = try ConcurrentObjectPool(capacity: 4) { 0 }
            pool.prefill(2)
            let held = try pool.checkout()
            let error = await probe.attempt(observing: pool.observedState) { _ = try pool.checkout(count: 4) }
            _ = held.value
            return error
        },
    ]
    + badPoolConfigurations.map { input, configuration, capacity in
        BadInputCase("AsyncObjectPool", input, .error(.invalidConfiguration)) { probe in
            await probe.attempt { _ = try AsyncObjectPool(capacity: capacity, configuration: configuration) { 0 } }
        }
    } + [
        BadInputCase(
            "AsyncObjectPool", "`checkout(timeout: .zero)` with every object out", .error(.poolExhausted)
        ) { probe in
            let pool = try AsyncObjectPool(capacity: 1) { 0 }
            let held = try await pool.checkout(timeout: .seconds(30))
            let error = await probe.attempt(observing: pool.observedState) {
                _ = try await pool.checkout(timeout: .zero)
            }
            _ = held.value
            return error
        },
        BadInputCase(
            "AsyncObjectPool", "`checkout(timeout: .seconds(-1))` with every object out", .error(.poolExhausted)
        ) { probe in
            let pool = try AsyncObjectPool(capacity: 1) { 0 }
            let held = try await pool.checkout(timeout: .seconds(30))
            let error = await probe.attempt(observing: pool.observedState) {
                _ = try await pool.checkout(timeout: .seconds(-1))
            }
            _ = held.value
            return error
        },
        BadInputCase(
            "AsyncObjectPool", "`checkout(timeout: .milliseconds(1))` with every object out (times out)",
            .error(.poolExhausted)
        ) { probe in
            let pool = try AsyncObjectPool(capacity: 1) { 0 }
            let held = try await pool.checkout(timeout: .seconds(30))
            let error = await probe.attempt(observing: pool.observedState) {
                _ = try await pool.checkout(timeout: .milliseconds(1))
            }
            _ = held.value
            return error
        },
    ]
