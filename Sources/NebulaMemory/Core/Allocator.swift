import _NebulaMemoryShims

/// The interface every NebulaMemory allocator implements: raw allocation by ``Layout``, with
/// typed helpers on top.
///
/// ```swift
/// func buildNodes(in allocator: some Allocator) throws(AllocError) {
///     let ids = try allocator.allocate(UInt64.self, count: 128)   // uninitialized
///     ids.initialize(repeating: 0, count: 128)
///     let name = try allocator.create("http-request")              // initialized
///     …
/// }
/// ```
///
/// Allocators are classes (`AnyObject`): they own memory and must not be copied. The
/// single-threaded ones are not `Sendable`; the `Concurrent…` ones are.
public protocol Allocator: AnyObject {
    /// Returns uninitialized memory of `layout.size` bytes aligned to `layout.alignment`.
    ///
    /// - Parameter layout: the size and alignment wanted; validated already, so the allocator
    ///   only checks what it can serve.
    /// - Returns: the start of the memory; give it back with ``deallocate(_:layout:)`` and the
    ///   same `layout`.
    /// - Throws: an ``AllocError`` when the request cannot be served; the allocator is then unchanged.
    func allocate(_ layout: Layout) throws(AllocError) -> UnsafeMutableRawPointer

    /// Gives back memory returned by ``allocate(_:)`` with the same `layout`.
    ///
    /// The memory must be deinitialized (or hold trivial values) before it is given back.
    ///
    /// - Parameters:
    ///   - pointer: memory this allocator returned from ``allocate(_:)``.
    ///   - layout: the layout `pointer` was allocated with.
    /// - Throws: an ``AllocError`` for a pointer this allocator cannot take back (foreign,
    ///   already freed, out of order); the allocator is then unchanged.
    func deallocate(_ pointer: UnsafeMutableRawPointer, layout: Layout) throws(AllocError)

    /// Resizes the allocation at `pointer` from `old` to `new`, keeping its first
    /// `min(old.size, new.size)` bytes: in place where the allocator can (the newest
    /// allocation of an arena or stack, a block of a pool that still fits), else by allocating,
    /// copying and giving the old memory back.
    ///
    /// The bytes are copied as raw memory: values with resources move along, the allocator
    /// does not deinitialize them. Resize memory from ``allocate(_:)`` only: a value an
    /// arena made with ``create(_:)`` and moved would no longer be deinitialized by it.
    ///
    /// - Parameters:
    ///   - pointer: memory this allocator returned for `old`.
    ///   - old: the layout `pointer` was allocated with.
    ///   - new: the layout wanted.
    /// - Returns: the memory for `new`: `pointer` when resized in place.
    /// - Throws: the errors of ``allocate(_:)`` for `new`, and those of
    ///   ``deallocate(_:layout:)`` for a `pointer` the allocator cannot take back. The old
    ///   memory and its bytes are intact then, and the allocator unchanged.
    func reallocate(_ pointer: UnsafeMutableRawPointer, from old: Layout, to new: Layout) throws(AllocError)
        -> UnsafeMutableRawPointer

    /// Allocates memory for one `T` and initializes it with `value`.
    ///
    /// Arenas (``BumpAllocator``, ``StackAllocator``) also remember how to deinitialize a
    /// non-trivial value and do so when its memory is reclaimed; other allocators leave that
    /// to the caller (`pointer.deinitialize(count: 1)` before `deallocate`).
    ///
    /// - Parameter value: the value to store.
    /// - Returns: the memory holding `value`.
    /// - Throws: the errors of ``allocate(_:)`` for the memory it needs; nothing is
    ///   initialized then.
    func create<T>(_ value: T) throws(AllocError) -> UnsafeMutablePointer<T>
}

extension Allocator {
    /// Allocates uninitialized memory for `count` values of `type`.
    ///
    /// When ``AllocationProfiler`` is on, the allocation may be sampled and attributed to
    /// `file:line`; off, that costs one relaxed load and a branch.
    ///
    /// - Parameters:
    ///   - type: the element type, whose stride and alignment make the layout.
    ///   - count: how many values the memory must hold; 1 by default.
    ///   - file: the call site the profiler attributes the allocation to; the caller's by default.
    ///   - line: the line of that call site; the caller's by default.
    /// - Returns: the memory, bound to `T` and uninitialized.
    /// - Throws: `ALLOC_INVALID_LAYOUT` for a negative count, `ALLOC_SIZE_OVERFLOW` when
    ///   `count` values do not fit in `Int`, or the allocator's own errors.
    @inlinable
    public func allocate<T>(
        _ type: T.Type, count: Int = 1, file: StaticString = #fileID, line: UInt = #line
    ) throws(AllocError) -> UnsafeMutablePointer<T> {
        let layout = try Layout.array(of: T.self, count: count)
        let memory = try allocate(layout)
        if _slowPath(nm_profiler_active() != 0) {
            AllocationProfiler._allocated(memory, size: layout.size, file: file, line: line, by: self)
        }
        return memory.bindMemory(to: T.self, capacity: count)
    }

    /// Gives back memory returned by ``allocate(_:count:file:line:)`` for the same `count`; the
    /// values must be deinitialized first.
    ///
    /// When ``AllocationProfiler`` is on and the allocation was sampled, its bytes leave the
    /// profile's live figures.
    ///
    /// - Parameters:
    ///   - pointer: memory this allocator returned from ``allocate(_:count:file:line:)``.
    ///   - count: the `count` it was allocated with, so that the layout matches.
    /// - Throws: `ALLOC_INVALID_LAYOUT` for a negative count, `ALLOC_SIZE_OVERFLOW` when
    ///   `count` values do not fit in `Int`, or the errors of ``deallocate(_:layout:)``.
    @inlinable
    public func deallocate<T>(_ pointer: UnsafeMutablePointer<T>, count: Int = 1) throws(AllocError) {
        let layout = try Layout.array(of: T.self, count: count)
        let memory = UnsafeMutableRawPointer(pointer)
        // Before the memory goes back: once it has, another thread may be handed (and sample)
        // the same address.
        if _slowPath(nm_profiler_active() != 0) { AllocationProfiler._deallocated(memory) }
        try deallocate(memory, layout: layout)
    }

    /// Default for allocators that do not track values: allocate, then initialize.
    ///
    /// - Parameter value: the value to store.
    /// - Returns: the initialized memory, of the layout ``Layout/of(_:)`` gives for `T`.
    /// - Throws: the errors of ``allocate(_:)`` for that layout; nothing is initialized then.
    @inlinable
    public func create<T>(_ value: T) throws(AllocError) -> UnsafeMutablePointer<T> {
        let pointer = try allocate(Layout.of(T.self)).bindMemory(to: T.self, capacity: 1)
        pointer.initialize(to: value)
        return pointer
    }
}

/// An allocator that can release everything it handed out at once.
///
/// ```swift
/// for execution in executions {
///     defer { try? arena.reset() }
///     try run(execution, in: arena)
/// }
/// ```
public protocol ResettableAllocator: Allocator {
    /// Reclaims every allocation at once; pointers handed out before are dangling afterwards.
    ///
    /// - Throws: only where the allocator can detect misuse (e.g. a concurrent allocation).
    func reset() throws(AllocError)
}
