/// libFuzzer target `study-file`: one input is the text of a study file (`StudyFileFuzzInput`).
@_cdecl("LLVMFuzzerTestOneInput")
public func studyFileFuzzTarget(_ bytes: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    StudyFileFuzzInput.run(String(decoding: UnsafeBufferPointer(start: bytes, count: count), as: UTF8.self))
    return 0
}
