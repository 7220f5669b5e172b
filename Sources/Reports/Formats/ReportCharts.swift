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

    init(report: StudyReport) {
        let objective = report.objective.name
        let importance = ParameterImportance(report: report)
        self.importance = importance
        history = HistoryChart(report: report).svg().map {
            Chart(id: "history", title: "Optimization history",
                  caption: "Each dot is a COMPLETE trial's \(objective) by trial number\(report.trials.contains { $0.hyperband != nil } ? ", coloured by the epochs it trained to (Hyperband)" : ""); the red line is the best score so far; red crosses along the bottom are failed trials.",
                  svg: $0)
        }
        let curves = LearningCurvesChart(report: report)
        learningCurves = curves.svg().map {
            Chart(id: "learning-curves", title: "Learning curves",
                  caption: "\(curves.metric ?? objective) after each epoch for every trial; the five best trials are coloured. A Hyperband promotion continues its parent's line; dashed lines mark the epochs where Hyperband rounds end.",
                  svg: $0)
        }
        parallelCoordinates = ParallelCoordinatesChart(report: report).svg().map {
            Chart(id: "parallel-coordinates", title: "Parallel coordinates",
                  caption: "One axis per hyperparameter (log axes for log-sampled ones, categories as labelled positions) and one for \(objective); each line is a COMPLETE trial, darker for better scores, the five best in red. An inactive conditional parameter breaks its line.",
                  svg: $0)
        }
        let importanceMethod = ParameterImportance.method
        let importanceNote = importance.hyperbandEpochs.map { [importance] epochs in
            " Hyperband: only the \(importance.trialCount) trials trained to the full \(epochs) epochs are compared (scores after fewer epochs are not comparable)."
        } ?? ""
        importanceChart = ImportanceChart(importance: importance).svg(studyName: report.name).map {
            Chart(id: "importance", title: "Hyperparameter importance",
                  caption: "Method: \(importanceMethod). Each bar is the share of the variance of the score ranks that grouping the trials by that parameter's value explains; the percentage is its share of the total." + importanceNote,
                  svg: $0)
        }
        let order = importance.entries.map(\.name)
        let names = order + report.parameterNames.filter { !order.contains($0) }
        slices = names.enumerated().compactMap { index, name in
            SliceChart(report: report, parameter: name).svg().map {
                Chart(id: "slice-\(index + 1)", title: name,
                      caption: "\(objective) of each COMPLETE trial against \(name); the best trial in red.", svg: $0)
            }
        }
        if report.study.oracleKind == "bayesian", let slice = SurrogateSlice(report: report, importance: importance),
           let svg = SurrogateChart(report: report, slice: slice).svg() {
            surrogate = Chart(
                id: "surrogate", title: "Surrogate model",
                caption: "A Gaussian process (Matérn 5/2, as the Bayesian oracle uses) fitted to the \(slice.trialCount) best COMPLETE trials: its mean and ±2 standard deviations as \(slice.parameter) — the most important \(slice.isCategorical ? "categorical" : "numeric") parameter — varies and every other parameter stays at the best trial's value. Dots are the trials' scores at their own values of \(slice.parameter).",
                svg: svg)
        } else {
            surrogate = nil
        }
        let rounds = HyperbandRounds(report: report)
        hyperband = rounds.rows.isEmpty ? nil : rounds
    }

    /// The main charts in report order.
    var main: [Chart] {
        [history, learningCurves, parallelCoordinates, importanceChart].compactMap { $0 }
    }
}
