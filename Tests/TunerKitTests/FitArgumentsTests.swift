import Neural
import Testing
import TunerKit
import Tuning

@Suite struct FitArgumentsTests {
    @Test func closureHyperModelBuildsAndDefaultFitTrains() throws {
        let hyperModel = ClosureHyperModel { hp in
            let units = try hp.int("units", min: 2, max: 8, default: 4)
            let model = Sequential([Dense(inputSize: 3, outputSize: units, activation: .relu), Dense(inputSize: units, outputSize: 1)])
            try model.compile(optimizer: "sgd", loss: "mse")
            return model
        }
        let hp = HyperParameters()
        let model = try hyperModel.build(hp)
        #expect(hp.values["units"] == .int(4))
        let x = Tensor(repeating: 0.5, shape: [8, 3])
        let y = Tensor(repeating: 1, shape: [8, 1])
        let history = try hyperModel.fit(hp, model: model, arguments: FitArguments(data: try ModelData(inputs: [x], targets: [y]), epochs: 3))
        #expect(history.epochs.count == 3)
    }
}
