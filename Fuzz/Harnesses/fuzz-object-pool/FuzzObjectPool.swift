import AllocatorFuzzing

/// libFuzzer calls this with each input it tries.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzObjectPool(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    FuzzHarness.objectPool.fuzz(data, size)
}
