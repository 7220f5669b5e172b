import Foundation

/// Every chart of a report, rendered once and shared by the HTML and Markdown formats.
struct ReportCharts {
    struct Chart {
        /// A file-name stem (`history`, `slice-2`): never derived from user strings.
        let id: String
        /// The heading.
        let title: String
        /// What the chart shows, in a sentence or two (plain text).
        let caption: String
        let svg: String
    }

    let importance: ParameterImportance
    let history: Chart?
    let learningCurves: Chart?
    let parallelCoordinates: Chart?
    let importanceChart: Chart?
    let slices: [Chart]
    let surrogate: Chart?
    let hyperband: HyperbandRounds?
    /// The Pareto front charts of a study with several objectives: one per pair of objectives.
    let paretoFronts: [Chart]

    /// Draws every chart of `report`, the independent ones at once on the machine's cores (a large
    /// study's learning curves and parallel coordinates take longest; the result does not depend on the
    /// order they finish in).
    init(report: StudyReport) {
        let objective = report.objective.name
        let importance = ParameterImportance(report: report)
        self.importance = importance
        let order = importance.entries.map(\.name)
        let names = order + report.parameterNames.filter { !order.contains($0) }
        // One job per chart: 0 history, 1 learning curves, 2 parallel coordinates, 3 importance,
        // 4 surrogate, 5 Hyperband rounds, then one per slice.
        let results = ChartResults(count: 6 + names.count)
        DispatchQueue.concurrentPerform(iterations: 6 + names.count) { job in
            switch job {
            case 0: results.set(job, .chart(Self.history(report, objective: objective)))
            case 1: results.set(job, .chart(Self.learningCurves(report, objective: objective)))
            case 2: results.set(job, .chart(Self.parallelCoordinates(report, objective: objective)))
            case 3: results.set(job, .chart(Self.importanceChart(report, importance: importance)))
            case 4: results.set(job, .chart(Self.surrogate(report, importance: importance)))
            case 5:
                let rounds = HyperbandRounds(report: report)
                results.set(job, .rounds(rounds.rows.isEmpty ? nil : rounds))
            default:
                let index = job - 6
                results.set(job, .chart(SliceChart(report: report, parameter: names[index]).svg().map {
                    Chart(id: "slice-\(index + 1)", title: names[index],
                          caption: "\(objective) of each COMPLETE trial against \(names[index]); the best trial in red.", svg: $0)
                }))
            }
        }
        history = results.chart(0)
        learningCurves = results.chart(1)
        parallelCoordinates = results.chart(2)
        importanceChart = results.chart(3)
        surrogate = results.chart(4)
        hyperband = results.rounds(5)
        slices = (0..<names.count).compactMap { results.chart(6 + $0) }
        paretoFronts = Self.paretoFronts(report)
    }

    private static func paretoFronts(_ report: StudyReport) -> [Chart] {
        let objectives = report.study.objectives
        guard objectives.count > 1 else { return [] }
        var charts: [Chart] = []
        for first in objectives.indices {
            for second in objectives.indices where second > first {
                guard let svg = ParetoFrontChart(report: report, xObjective: first, yObjective: second).svg() else { continue }
                charts.append(Chart(
                    id: charts.isEmpty ? "pareto-front" : "pareto-front-\(charts.count + 1)",
                    title: objectives.count == 2 ? "Pareto front" : "Pareto front: \(objectives[first].name) and \(objectives[second].name)",
                    caption: "Each dot is a COMPLETE trial at its \(objectives[first].name) and \(objectives[second].name); red dots are the study's Pareto front (the feasible trials no other trial beats on every objective), the line joins this pair's front, and crosses are infeasible trials.",
                    svg: svg))
            }
        }
        if let svg = HypervolumeHistoryChart(report: report).svg() {
            charts.append(Chart(
                id: "hypervolume", title: "Hypervolume over trials",
                caption: "The hypervolume of the feasible front after each trial, measured from the worst feasible value plus 10 % of the range on each objective (every objective turned to lower is better): how much of the trade-off the search has covered so far.",
                svg: svg))
        }
        return charts
    }

    private static func history(_ report: StudyReport, objective: String) -> Chart? {
        HistoryChart(report: report).svg().map {
            Chart(id: "history", title: "Optimization history",
                  caption: "Each dot is a COMPLETE trial's \(objective) by trial number\(report.trials.contains { $0.hyperband != nil } ? ", coloured by the epochs it trained to (Hyperband)" : ""); the red line is the best score so far; red crosses along the bottom are failed trials.",
                  svg: $0)
        }
    }

    private static func learningCurves(_ report: StudyReport, objective: String) -> Chart? {
        let curves = LearningCurvesChart(report: report)
        return curves.svg().map {
            Chart(id: "learning-curves", title: "Learning curves",
                  caption: "\(curves.metric ?? objective) after each epoch for every trial; the five best trials are coloured. A Hyperband promotion continues its parent's line; dashed lines mark the epochs where Hyperband rounds end.",
                  svg: $0)
        }
    }

    private static func parallelCoordinates(_ report: StudyReport, objective: String) -> Chart? {
        ParallelCoordinatesChart(report: report).svg().map {
            Chart(id: "parallel-coordinates", title: "Parallel coordinates",
                  caption: "One axis per hyperparameter (log axes for log-sampled ones, categories as labelled positions) and one for \(objective); each line is a COMPLETE trial, darker for better scores, the five best in red. An inactive conditional parameter breaks its line.",
                  svg: $0)
        }
    }

    private static func importanceChart(_ report: StudyReport, importance: ParameterImportance) -> Chart? {
        let importanceMethod = ParameterImportance.method
        let importanceNote = importance.hyperbandEpochs.map { [importance] epochs in
            " Hyperband: only the \(importance.trialCount) trials trained to the full \(epochs) epochs are compared (scores after fewer epochs are not comparable)."
        } ?? ""
        return ImportanceChart(importance: importance).svg(studyName: report.name).map {
            Chart(id: "importance", title: "Hyperparameter importance",
                  caption: "Method: \(importanceMethod). Each bar is the share of the variance of the score ranks that grouping the trials by that parameter's value explains; the percentage is its share of the total." + importanceNote,
                  svg: $0)
        }
    }

    private static func surrogate(_ report: StudyReport, importance: ParameterImportance) -> Chart? {
        guard report.study.oracleKind == "bayesian", let slice = SurrogateSlice(report: report, importance: importance),
              let svg = SurrogateChart(report: report, slice: slice).svg() else { return nil }
        return Chart(
            id: "surrogate", title: "Surrogate model",
            caption: "A Gaussian process (Matérn 5/2, as the Bayesian oracle uses) fitted to the \(slice.trialCount) best COMPLETE trials: its mean and ±2 standard deviations as \(slice.parameter) — the most important \(slice.isCategorical ? "categorical" : "numeric") parameter — varies and every other parameter stays at the best trial's value. Dots are the trials' scores at their own values of \(slice.parameter).",
            svg: svg)
    }

    /// The main charts in report order.
    var main: [Chart] {
        paretoFronts + [history, learningCurves, parallelCoordinates, importanceChart].compactMap { $0 }
    }
}

/// The charts drawn by `ReportCharts.init`'s concurrent jobs, each job writing its own slot.
private final class ChartResults: @unchecked Sendable {
    enum Result {
        case chart(ReportCharts.Chart?)
        case rounds(HyperbandRounds?)
    }

    private let lock = NSLock()
    private var slots: [Result?]

    init(count: Int) { slots = Array(repeating: nil, count: count) }

    func set(_ index: Int, _ result: Result) {
        lock.lock()
        slots[index] = result
        lock.unlock()
    }

    func chart(_ index: Int) -> ReportCharts.Chart? {
        lock.lock()
        defer { lock.unlock() }
        if case .chart(let chart)? = slots[index] { return chart }
        return nil
    }

    func rounds(_ index: Int) -> HyperbandRounds? {
        lock.lock()
        defer { lock.unlock() }
        if case .rounds(let rounds)? = slots[index] { return rounds }
        return nil
    }
}
