import Testing
import Tuning

@Suite struct TuningModuleTests {
    @Test func moduleLinks() { _ = TuningModule.self }
}
