import Foundation

/// Keras's progress output, added by `fit` unless verbosity is `.silent`:
/// `1719/1719 [==============================] - 1s 580us/step - loss: 0.4521 - accuracy: 0.8412`,
/// redrawn in place on a terminal, or one line per epoch when output goes to a file or pipe.
public final class ProgressLogger: Callback {
    private let verbosity: Verbosity
    private var parameters = TrainingParameters(epochs: 1, steps: 1, verbosity: .auto)
    private var epochStart = ContinuousClock.now
    private var lastDraw = ContinuousClock.now
    private let interactive: Bool
    private let write: (String) -> Void

    /// Creates the logger; `write` receives each piece of output (standard output by default).
    public init(verbosity: Verbosity, write: ((String) -> Void)? = nil) {
        self.verbosity = verbosity
        let isTerminal = isatty(STDOUT_FILENO) != 0
        switch verbosity {
        case .progressBar: interactive = true
        case .auto: interactive = isTerminal
        case .oneLinePerEpoch, .silent: interactive = false
        }
        self.write = write ?? { text in
            FileHandle.standardOutput.write(Data(text.utf8))
        }
        super.init()
    }

    /// Remembers epochs and steps for the bar.
    public override func setParameters(_ parameters: TrainingParameters) { self.parameters = parameters }

    /// Prints `Epoch n/N` and starts the clock.
    public override func onEpochBegin(_ epoch: Int, logs: Logs) throws {
        guard verbosity != .silent else { return }
        write("Epoch \(epoch + 1)/\(parameters.epochs)\n")
        epochStart = .now
        lastDraw = .now
    }

    /// Redraws the bar on a terminal, at most every 50 ms.
    public override func onTrainBatchEnd(_ batch: Int, logs: Logs) throws {
        guard interactive else { return }
        let now = ContinuousClock.now
        guard batch + 1 == parameters.steps || now - lastDraw > .milliseconds(50) else { return }
        lastDraw = now
        write("\r" + line(step: batch + 1, logs: logs, final: false))
    }

    /// Prints the epoch's final line with time, time per step and every metric.
    public override func onEpochEnd(_ epoch: Int, logs: Logs) throws {
        guard verbosity != .silent else { return }
        write((interactive ? "\r" : "") + line(step: parameters.steps, logs: logs, final: true) + "\n")
    }

    /// One Keras-style line for `step` of the epoch's steps.
    func line(step: Int, logs: Logs, final: Bool) -> String {
        let steps = Swift.max(parameters.steps, 1)
        let width = 30
        let done = width * step / steps
        let bar = done >= width
            ? String(repeating: "=", count: width)
            : String(repeating: "=", count: Swift.max(done - 1, 0)) + ">" + String(repeating: ".", count: width - Swift.max(done, 1))
        let elapsed = ContinuousClock.now - epochStart
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
        let perStep = seconds / Double(Swift.max(step, 1))
        let timing: String
        if final {
            timing = "\(Int(seconds.rounded()))s \(Self.formatDuration(perStep))/step"
        } else {
            let remaining = perStep * Double(steps - step)
            timing = "ETA: \(Int(remaining.rounded()))s"
        }
        let metrics = logs.entries.isEmpty ? "" : " - " + logs.description
        let counter = String(repeating: " ", count: String(steps).count - String(step).count) + "\(step)/\(steps)"
        return "\(counter) [\(bar)] - \(timing)\(metrics)"
    }

    static func formatDuration(_ seconds: Double) -> String {
        if seconds >= 1 { return "\(Int(seconds.rounded()))s" }
        if seconds >= 1e-3 { return "\(Int((seconds * 1e3).rounded()))ms" }
        return "\(Int((seconds * 1e6).rounded()))us"
    }
}
