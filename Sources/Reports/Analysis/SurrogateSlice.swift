import Foundation
import Tuning

/// The Gaussian-process surrogate of a Bayesian study along one dimension: Tuning's `GaussianProcess`
/// (Matérn 5/2, fitted by maximum a posteriori like the oracle's) is fitted to the COMPLETE trials in
/// the unit-cube encoding the oracle uses, and its mean and standard deviation are evaluated while the
/// chosen parameter moves across its range and every other parameter stays at the best trial's value.
///
/// The parameter is the most important numeric one (by `ParameterImportance`), else the most important
/// categorical one (then each category is one point). At most the 300 best trials are used, so a long
/// study still fits in well under a second.
struct SurrogateSlice {
    struct Point {
        /// The parameter value (a number, or a category index).
        let position: Double
        let mean: Double
        let standardDeviation: Double
    }

    let parameter: String
    let points: [Point]
    let isCategorical: Bool
    /// The best trial's value of the parameter (its position).
    let bestPosition: Double?
    let trialCount: Int

    static let maximumTrials = 300

    init?(report: StudyReport, importance: ParameterImportance) {
        let space = report.study.searchSpace
        guard let best = report.bestTrial else { return nil }
        let encoding = UnitCubeEncoding(space: space)
        guard encoding.count > 0 else { return nil }
        let trials = Array(report.rankedTrials.prefix(Self.maximumTrials))
        guard trials.count >= 3 else { return nil }
        let ranked = importance.entries.map(\.name) + space.names
        func isNumeric(_ name: String) -> Bool {
            switch space[name]?.unitEncoding {
            case .continuous?, .discrete?: return true
            default: return false
            }
        }
        func isCategory(_ name: String) -> Bool {
            if case .categorical? = space[name]?.unitEncoding { return true }
            return false
        }
        guard let name = ranked.first(where: isNumeric) ?? ranked.first(where: isCategory),
              let spec = space[name]
        else { return nil }

        let inputs = trials.map { encoding.encode($0.hyperparameters) }
        let targets = trials.map { $0.finiteScore ?? 0 }
        var options = GaussianProcess.FitOptions()
        options.restarts = 2
        guard let process = try? GaussianProcess.fit(inputs: inputs, targets: targets, options: options, seed: 0) else {
            return nil
        }
        let base = encoding.encode(best.hyperparameters)
        let coordinates = encoding.dimensions.indices.filter { encoding.dimensions[$0].parameter == name }
        var probes: [[Double]] = []
        var positions: [Double] = []
        if isNumeric(name), let coordinate = coordinates.first {
            let units: [Double]
            if let count = spec.valueCount, count <= 60 {
                units = (0..<count).compactMap { spec.toUnit(spec.value(atIndex: $0)) }
            } else {
                units = (0...120).map { Double($0) / 120 }
            }
            for unit in units {
                var point = base
                point[coordinate] = unit
                probes.append(point)
                positions.append(spec.fromUnit(unit).doubleValue ?? unit)
            }
            // A continuous float maps the unit interval onto its value continuously.
            if case .float(let domain) = spec.kind, domain.step == nil {
                positions = units.map { domain.fromUnit($0) }
            }
        } else {
            for (category, _) in coordinates.enumerated() {
                var point = base
                for (offset, coordinate) in coordinates.enumerated() { point[coordinate] = offset == category ? 1 : 0 }
                probes.append(point)
                positions.append(Double(category))
            }
        }
        guard let prediction = try? process.predict(probes) else { return nil }
        parameter = name
        isCategorical = !isNumeric(name)
        points = positions.indices.map {
            Point(position: positions[$0], mean: prediction.mean[$0],
                  standardDeviation: max(prediction.variance[$0], 0).squareRoot())
        }
        trialCount = trials.count
        bestPosition = best.hyperparameters[name].flatMap { value in
            isNumeric(name) ? value.doubleValue : spec.index(of: value).map(Double.init)
        }
    }
}
