// The storage's types (`StudySnapshot`, `TrialSnapshot`, `StudySource`, `StoreError`, ...) are part of
// TunerKit's API: a program using `Tuner` reads its results without importing StudyStore itself.
@_exported import StudyStore
