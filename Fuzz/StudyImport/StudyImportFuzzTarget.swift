import Foundation

/// libFuzzer target `study-import`: one input is a JSON document given to `tuner import`
/// (`StudyImportFuzzInput`).
@_cdecl("LLVMFuzzerTestOneInput")
public func studyImportFuzzTarget(_ bytes: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    StudyImportFuzzInput.run(Data(bytes: bytes, count: count))
    return 0
}
