import AllocatorFuzzing

/// libFuzzer calls this with each input it tries.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzConcurrentPool(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    FuzzHarness.concurrentPool.fuzz(data, size)
}
