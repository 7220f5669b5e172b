import Foundation
import Testing
import Tuning

func bookSpace() throws -> SearchSpace {
    let hp = HyperParameters()
    _ = try defineBookSpace(hp)
    return hp.space
}

@Suite struct SearchSpaceTests {
    @Test func summaryReadsLikeKerasTuners() throws {
        let expected = """
            Search space summary
            Default search space size: 4
            n_hidden (Int)
            {default: 2, conditions: [], min: 0, max: 8, step: 1, sampling: linear}
            n_neurons (Int)
            {default: 16, conditions: [], min: 16, max: 256, step: 1, sampling: linear}
            learning_rate (Float)
            {default: 0.0001, conditions: [], min: 0.0001, max: 0.01, step: none, sampling: log}
            optimizer (Choice)
            {default: sgd, conditions: [], values: [sgd, adam], ordered: false}
            """
        #expect(try bookSpace().summary() == expected)
    }

    @Test func codableRoundTripKeepsEveryDetail() throws {
        let hp = HyperParameters()
        _ = try defineBookSpace(hp)
        try hp.conditionalScope(parent: "optimizer", values: ["adam"]) {
            try hp.float("beta_1", min: 0.8, max: 0.999, sampling: .reverseLog, default: 0.9)
        }
        try hp.float("dropout", min: 0, max: 0.5, step: 0.1, default: 0.2)
        try hp.int("batch_size", min: 16, max: 256, step: 2, sampling: .log, default: 32)
        try hp.boolean("normalize")
        try hp.fixed("epochs", value: 3.0)
        try hp.choice("units", values: [32, 64])
        let data = try JSONEncoder().encode(hp.space)
        let decoded = try JSONDecoder().decode(SearchSpace.self, from: data)
        #expect(decoded == hp.space)
        #expect(decoded.differences(from: hp.space).isEmpty)
        // A float whose value is integral stays a float through JSON.
        #expect(decoded["epochs"]?.defaultValue == .float(3.0))
    }

    @Test func decodingValidates() {
        let json = #"{"parameters":[{"name":"units","type":"int","min":10,"max":2}]}"#
        do {
            _ = try JSONDecoder().decode(SearchSpace.self, from: Data(json.utf8))
            Issue.record("an invalid stored space should be refused")
        } catch let DecodingError.dataCorrupted(context) {
            #expect(context.debugDescription.contains("'units': min 10 is above max 2"))
        } catch {
            Issue.record("unexpected error \(error)")
        }
        let orphan = #"{"parameters":[{"name":"beta","type":"boolean","conditions":[{"parent":"optimizer","values":[{"string":"adam"}]}]}]}"#
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(SearchSpace.self, from: Data(orphan.utf8)) }
    }

    @Test func differencesSayWhatChanged() throws {
        let before = try bookSpace()
        let hp = HyperParameters()
        try hp.int("n_hidden", min: 0, max: 10, default: 2)
        try hp.int("n_neurons", min: 16, max: 256)
        try hp.choice("optimizer", values: ["sgd", "adam"])
        try hp.boolean("normalize")
        let lines = hp.space.differences(from: before)
        #expect(lines.contains { $0.contains("'learning_rate' was defined as") && $0.contains("no longer defined") })
        #expect(lines.contains { $0.hasPrefix("'n_hidden' changed from Int(name: 'n_hidden', min: 0, max: 8") })
        #expect(lines.contains { $0.hasPrefix("'normalize' is new") })
        #expect(lines.count == 3)
    }

    @Test func mergeAddsOnlyNewDefinitions() throws {
        var space = try bookSpace()
        let other = try SearchSpace([
            try .int("n_hidden", min: 0, max: 8, default: 2), try .boolean("normalize"),
        ])
        #expect(try space.merge(other) == ["normalize"])
        #expect(space.names == ["n_hidden", "n_neurons", "learning_rate", "optimizer", "normalize"])
        let conflicting = try SearchSpace([try .int("n_hidden", min: 0, max: 9)])
        #expect(throws: HyperParameterError.self) { try space.merge(conflicting) }
        #expect(space.count == 5)
    }

    @Test func combinationCountFollowsConditions() throws {
        #expect(try bookSpace().combinationCount == nil)  // a continuous float
        let hp = HyperParameters()
        try hp.choice("optimizer", values: ["sgd", "adam"])
        try hp.conditionalScope(parent: "optimizer", values: ["adam"]) {
            try hp.choice("beta_1", values: [0.9, 0.99])
        }
        try hp.int("units", min: 1, max: 3)
        try hp.boolean("normalize")
        // sgd: 3 units x 2 normalize = 6; adam: 2 betas x 3 x 2 = 12.
        #expect(hp.space.combinationCount == 18)
        let stepped = try SearchSpace([
            try .float("dropout", min: 0, max: 1, step: 0.1),
            try .int("batch", min: 2, max: 32, step: 2, sampling: .log),
        ])
        #expect(stepped.combinationCount == 11 * 5)
    }
}

@Suite struct UnitIntervalTests {
    @Test func linearIntegersUseEqualBuckets() throws {
        let spec = try HyperParameterSpec.int("n_hidden", min: 0, max: 8)
        #expect(spec.unitEncoding == .discrete(count: 9))
        for value in 0...8 {
            let unit = try #require(spec.toUnit(.int(value)))
            #expect(abs(unit - (Double(value) + 0.5) / 9) < 1e-12)
            #expect(spec.fromUnit(unit) == .int(value))
        }
        #expect(spec.fromUnit(0) == .int(0))
        #expect(spec.fromUnit(1) == .int(8))
        #expect(spec.fromUnit(-3) == .int(0))
        #expect(spec.toUnit(.int(9)) == nil)
    }

    @Test func steppedAndMultiplicativeIntegers() throws {
        let stepped = try HyperParameterSpec.int("units", min: 0, max: 13, step: 3)
        #expect(stepped.valueCount == 5)
        #expect((0..<5).map { stepped.value(atIndex: $0) } == [0, 3, 6, 9, 12])
        let doubling = try HyperParameterSpec.int("batch", min: 2, max: 32, step: 2, sampling: .log)
        #expect((0..<5).map { doubling.value(atIndex: $0) } == [2, 4, 8, 16, 32])
        for value in [2, 4, 8, 16, 32] {
            #expect(doubling.fromUnit(try #require(doubling.toUnit(.int(value)))) == .int(value))
        }
        #expect(doubling.toUnit(.int(6)) == nil)
    }

    @Test func logIntegersRoundTripAndSpreadLogarithmically() throws {
        let spec = try HyperParameterSpec.int("n_neurons", min: 1, max: 1000, sampling: .log)
        for value in [1, 2, 3, 10, 31, 32, 100, 999, 1000] {
            #expect(spec.fromUnit(try #require(spec.toUnit(.int(value)))) == .int(value))
        }
        // Half of the unit interval covers 1..<~31.6, the other half ~31.6...1000.
        #expect(spec.fromUnit(0.5) == .int(31))
    }

    @Test func floatsMapInTheirOwnScale() throws {
        let linear = try HyperParameterSpec.float("dropout", min: 0, max: 0.5)
        #expect(linear.unitEncoding == .continuous)
        #expect(linear.toUnit(.float(0.25)) == 0.5)
        #expect(linear.fromUnit(0.5) == .float(0.25))

        let log = try HyperParameterSpec.float("learning_rate", min: 1e-4, max: 1e-2, sampling: .log)
        #expect(abs(try #require(log.toUnit(.float(1e-3))) - 0.5) < 1e-12)
        #expect(abs(try #require(log.fromUnit(0.5).doubleValue) - 1e-3) < 1e-15)
        #expect(log.fromUnit(0) == .float(1e-4))
        #expect(log.fromUnit(1) == .float(1e-2))

        let reverse = try HyperParameterSpec.float("momentum", min: 0.001, max: 0.999, sampling: .reverseLog)
        for value in [0.001, 0.5, 0.9, 0.99, 0.999] {
            let unit = try #require(reverse.toUnit(.float(value)))
            #expect(abs(try #require(reverse.fromUnit(unit).doubleValue) - value) < 1e-12)
        }
        // Reverse log crowds values near the top: the upper half of the unit interval lies above 0.968.
        #expect(abs(try #require(reverse.fromUnit(0.5).doubleValue) - (1.0 - (0.001 * 0.999).squareRoot())) < 1e-12)
    }

    @Test func steppedFloats() throws {
        let spec = try HyperParameterSpec.float("dropout", min: 0, max: 1, step: 0.1)
        #expect(spec.valueCount == 11)
        #expect(spec.value(atIndex: 10) == .float(1))
        #expect(spec.fromUnit(try #require(spec.toUnit(.float(0.3)))) == spec.value(atIndex: 3))
        let decades = try HyperParameterSpec.float("lr", min: 0.001, max: 10, step: 10, sampling: .log)
        #expect(decades.valueCount == 5)
        #expect(decades.normalized(.float(0.1)) != nil)
        #expect(decades.normalized(.float(0.2)) == nil)
    }

    @Test func choicesAndBooleansAreCategoriesUnlessOrdered() throws {
        let optimizer = try HyperParameterSpec.choice("optimizer", values: ["sgd", "adam", "rmsprop"])
        #expect(optimizer.unitEncoding == .categorical(count: 3))
        #expect(optimizer.index(of: "adam") == 1)
        #expect(optimizer.value(atIndex: 2) == "rmsprop")
        #expect(optimizer.fromUnit(try #require(optimizer.toUnit("rmsprop"))) == "rmsprop")
        let units = try HyperParameterSpec.choice("units", values: [32, 64, 128])
        #expect(units.unitEncoding == .discrete(count: 3))
        #expect(try HyperParameterSpec.boolean("normalize").unitEncoding == .categorical(count: 2))
        #expect(try HyperParameterSpec.fixed("epochs", value: 10).unitEncoding == .constant)
    }
}

@Suite struct UnitCubeEncodingTests {
    @Test func categoriesAreOneHotAndNumbersUseTheirScale() throws {
        let hp = HyperParameters()
        _ = try defineBookSpace(hp)
        try hp.conditionalScope(parent: "optimizer", values: ["adam"]) {
            try hp.float("beta_1", min: 0.8, max: 0.999, default: 0.9)
        }
        try hp.fixed("epochs", value: 10)
        let encoding = UnitCubeEncoding(space: hp.space)
        #expect(encoding.dimensions.map(\.parameter) == ["n_hidden", "n_neurons", "learning_rate", "optimizer", "optimizer", "beta_1"])
        #expect(encoding.dimensions.map(\.category) == [nil, nil, nil, 0, 1, nil])
        let values: [String: HyperParameterValue] = ["n_hidden": 4, "n_neurons": 16, "learning_rate": 1e-3, "optimizer": "sgd", "epochs": 10]
        let point = encoding.encode(values)
        #expect(abs(point[0] - 4.5 / 9) < 1e-12)
        #expect(abs(point[2] - 0.5) < 1e-12)
        #expect(Array(point[3...5]) == [1, 0, 0.5])
        #expect(encoding.activeMask(values) == [true, true, true, true, true, false])
        let decoded = encoding.decode(point)
        #expect(decoded["n_hidden"] == 4 && decoded["n_neurons"] == 16 && decoded["optimizer"] == "sgd" && decoded["epochs"] == 10)
        #expect(abs((decoded["learning_rate"]?.doubleValue ?? 0) - 1e-3) < 1e-15)
        #expect(decoded["beta_1"] == nil)
        // The largest one-hot coordinate wins, and the child becomes active with its parent.
        let adam = encoding.decode([0.99, 0.0, 1.0, 0.2, 0.7, 0.0])
        #expect(adam == ["n_hidden": 8, "n_neurons": 16, "learning_rate": 1e-2, "optimizer": "adam", "beta_1": 0.8, "epochs": 10])
    }
}
