import Foundation

/// Keras's progress output, added by `fit` unless verbosity is `.silent`, in the book's (Keras 2)
/// format. `Epoch 3/10` heads each epoch when there are several. On a terminal (`.progressBar`, or
/// `.auto` on a terminal) a bar is redrawn in place at most every 50 ms and ends as
///
///     1719/1719 [==============================] - 2s 1ms/step - loss: 0.7237 - accuracy: 0.7640
///
/// (mid-epoch: `  45/1719 [>.............................] - ETA: 5s - loss: ...`). Otherwise
/// (`.oneLinePerEpoch`, or `.auto` into a file or pipe) each epoch prints one line, Keras 2's
/// `verbose=2` format, with no carriage returns:
///
///     1719/1719 - 2s - loss: 0.7237 - accuracy: 0.7640 - val_loss: 0.5213 - 2s/epoch - 1ms/step
///
/// Values show with 4 decimals, or in scientific notation when their magnitude is at most 1e-3
/// (`1.0000e-05`), as Keras prints them. On the bar, time per step and the ETA leave out the first
/// step (model building, warm-up), as Keras 2's bar does. An epoch stopped early shows the steps it
/// ran (`3/10`; Keras 2 shows `3/3`).
public final class ProgressLogger: Callback {
    private let verbosity: Verbosity
    private var parameters = TrainingParameters(epochs: 1, steps: 1, verbosity: .auto)
    private var epochStart = ContinuousClock.now
    private var afterFirstStep: ContinuousClock.Instant?
    private var lastDraw: ContinuousClock.Instant?
    private var stepsSeen = 0
    private var previousWidth = 0
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

    /// Prints `Epoch n/N` (when there are several epochs) and starts the clock.
    public override func onEpochBegin(_ epoch: Int, logs: Logs) throws {
        epochStart = .now
        afterFirstStep = nil
        lastDraw = nil
        stepsSeen = 0
        previousWidth = 0
        guard verbosity != .silent else { return }
        if parameters.epochs > 1 { write("Epoch \(epoch + 1)/\(parameters.epochs)\n") }
    }

    /// Counts the step, and redraws the bar on a terminal at most every 50 ms.
    public override func onTrainBatchEnd(_ batch: Int, logs: Logs) throws {
        stepsSeen = batch + 1
        let now = ContinuousClock.now
        if stepsSeen == 1 { afterFirstStep = now }
        guard interactive else { return }
        if let lastDraw, now - lastDraw < .milliseconds(50) { return }
        lastDraw = now
        write("\r" + padded(line(step: stepsSeen, logs: logs, final: false)))
    }

    /// Prints the epoch's final line with the time, time per step and every log entry.
    public override func onEpochEnd(_ epoch: Int, logs: Logs) throws {
        guard verbosity != .silent else { return }
        let steps = stepsSeen > 0 ? stepsSeen : parameters.steps
        if interactive {
            write("\r" + padded(line(step: steps, logs: logs, final: true)) + "\n")
        } else {
            write(epochLine(step: steps, logs: logs) + "\n")
        }
    }

    /// The bar line for `step` of the epoch's steps: `  45/1719 [>....] - ETA: 5s - loss: ...`
    /// mid-epoch, `1719/1719 [=====] - 2s 1ms/step - loss: ...` when `final`.
    func line(step: Int, logs: Logs, final: Bool) -> String {
        let target = Swift.max(parameters.steps, 1)
        let width = 30
        let progress = Swift.min(width * step / target, width)
        var bar = ""
        if progress > 0 {
            bar += String(repeating: "=", count: progress - 1) + (step < target ? ">" : "=")
        }
        bar += String(repeating: ".", count: width - progress)
        let elapsed = seconds(since: epochStart)
        let perStep = timePerStep(step: step)
        let timing = final
            ? "\(String(format: "%.0f", elapsed))s" + Self.formatTime(perStep, unit: "step")
            : "ETA: " + Self.formatETA(perStep * Double(target - step))
        return "\(counter(step, of: target)) [\(bar)] - \(timing)" + metrics(logs)
    }

    /// The one line of an epoch without a terminal (Keras 2's `verbose=2`):
    /// `1719/1719 - 2s - loss: 0.7237 - 2s/epoch - 1ms/step`.
    func epochLine(step: Int, logs: Logs) -> String {
        let elapsed = seconds(since: epochStart)
        return "\(counter(step, of: Swift.max(parameters.steps, 1))) - \(String(format: "%.0f", elapsed))s"
            + metrics(logs)
            + " -" + Self.formatTime(elapsed, unit: "epoch")
            + " -" + Self.formatTime(elapsed / Double(Swift.max(step, 1)), unit: "step")
    }

    /// ` - loss: 0.7237 - accuracy: 0.7640` for every entry.
    private func metrics(_ logs: Logs) -> String {
        logs.entries.map { " - \($0.name): \(Self.formatValue($0.value))" }.joined()
    }

    /// `  45/1719`: the step right-aligned to the width of the total.
    private func counter(_ step: Int, of target: Int) -> String {
        let text = String(step)
        return String(repeating: " ", count: Swift.max(String(target).count - text.count, 0)) + "\(text)/\(target)"
    }

    /// Pads with spaces over what is left of a longer previous line on the terminal.
    private func padded(_ text: String) -> String {
        let width = text.count
        defer { previousWidth = width }
        return width < previousWidth ? text + String(repeating: " ", count: previousWidth - width) : text
    }

    /// Seconds per step so far, leaving out the first step (model building, warm-up) when possible.
    private func timePerStep(step: Int) -> Double {
        guard step > 0 else { return 0 }
        if let afterFirstStep, step > 1 { return seconds(since: afterFirstStep) / Double(step - 1) }
        return seconds(since: epochStart) / Double(step)
    }

    private func seconds(since start: ContinuousClock.Instant) -> Double {
        let elapsed = ContinuousClock.now - start
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
    }

    /// A metric value as Keras prints it: `0.7237`, or `1.0000e-05` for magnitudes up to 1e-3.
    static func formatValue(_ value: Float) -> String {
        if value.isNaN { return "nan" }
        let number = Double(value)
        return String(format: Swift.abs(number) > 1e-3 ? "%.4f" : "%.4e", number)
    }

    /// ` 1ms/step`, ` 580us/step`, ` 2s/epoch` (Keras's `_format_time`, with its leading space).
    static func formatTime(_ seconds: Double, unit: String) -> String {
        if seconds >= 1 || seconds == 0 { return " " + String(format: "%.0f", seconds) + "s/\(unit)" }
        if seconds >= 1e-3 { return " " + String(format: "%.0f", seconds * 1e3) + "ms/\(unit)" }
        return " " + String(format: "%.0f", seconds * 1e6) + "us/\(unit)"
    }

    /// `5s`, `1:05`, `1:01:05`: truncated, as Keras formats the remaining time.
    static func formatETA(_ seconds: Double) -> String {
        guard seconds.isFinite else { return "?" }
        let total = Int(Swift.max(seconds, 0))
        if seconds > 3600 { return String(format: "%d:%02d:%02d", total / 3600, (total % 3600) / 60, total % 60) }
        if seconds > 60 { return String(format: "%d:%02d", total / 60, total % 60) }
        return "\(total)s"
    }
}
