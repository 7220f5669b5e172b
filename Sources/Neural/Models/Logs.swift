/// Named metric values in a stable order (loss first, then metrics as compiled): what `fit` gives
/// callbacks and keeps in ``History``.
public struct Logs: Sequence, Sendable, Equatable, CustomStringConvertible {
    /// The entries in order.
    public private(set) var entries: [(name: String, value: Float)] = []

    /// Empty logs.
    public init() {}

    /// Logs with these entries, in this order.
    public init(_ entries: [(String, Float)]) {
        for (name, value) in entries { self[name] = value }
    }

    /// The value named `name`; setting a new name appends it.
    public subscript(name: String) -> Float? {
        get { entries.first { $0.name == name }?.value }
        set {
            if let index = entries.firstIndex(where: { $0.name == name }) {
                if let newValue { entries[index].value = newValue } else { entries.remove(at: index) }
            } else if let newValue {
                entries.append((name, newValue))
            }
        }
    }

    /// The names in order.
    public var names: [String] { entries.map(\.name) }

    /// Iterates the entries in order.
    public func makeIterator() -> IndexingIterator<[(name: String, value: Float)]> { entries.makeIterator() }

    /// Compares names, order and values.
    public static func == (lhs: Logs, rhs: Logs) -> Bool {
        lhs.entries.count == rhs.entries.count
            && zip(lhs.entries, rhs.entries).allSatisfy { $0.name == $1.name && $0.value == $1.value }
    }

    /// `loss: 0.4521 - accuracy: 0.8412`, as Keras prints them.
    public var description: String {
        entries.map { "\($0.name): \(Logs.format($0.value))" }.joined(separator: " - ")
    }

    /// Four decimals, like Keras's progress bar (scientific for tiny values).
    public static func format(_ value: Float) -> String {
        if value.isNaN { return "nan" }
        if value.isInfinite { return value > 0 ? "inf" : "-inf" }
        if value != 0 && Swift.abs(value) < 1e-3 {
            return String(describing: value)
        }
        let scaled = (Double(value) * 10000).rounded() / 10000
        var text = String(describing: scaled)
        if let dot = text.firstIndex(of: ".") {
            let decimals = text.distance(from: dot, to: text.endIndex) - 1
            if decimals < 4 { text += String(repeating: "0", count: 4 - decimals) }
        }
        return text
    }
}

/// What `fit` returns: each epoch's logs (Keras's `History.history`, by metric name).
public final class History {
    /// The epochs run, in order (their indices, counting from `initialEpoch`).
    public private(set) var epochs: [Int] = []
    /// Each metric's value per epoch: `history.values["val_accuracy"]`.
    public private(set) var values: [String: [Float]] = [:]
    /// The metric names in the order they first appeared.
    public private(set) var names: [String] = []

    /// An empty history.
    public init() {}

    /// Records one epoch's logs.
    public func append(epoch: Int, logs: Logs) {
        epochs.append(epoch)
        for (name, value) in logs {
            if values[name] == nil { names.append(name) }
            values[name, default: []].append(value)
        }
    }

    /// The last recorded value of `name`.
    public func last(_ name: String) -> Float? { values[name]?.last }
}
