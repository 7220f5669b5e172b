import TensorBoard
import Tuning

/// How a search space and its values become the HParams plugin's messages.
enum TensorBoardHParams {
    /// The HParams value of a hyperparameter value: numbers as doubles (TensorBoard has no integers).
    static func value(_ value: HyperParameterValue) -> ProtobufValue {
        switch value {
        case .int(let number): return .number(Double(number))
        case .float(let number): return .number(number)
        case .string(let text): return .string(text)
        case .bool(let flag): return .bool(flag)
        }
    }

    /// The type TensorBoard files `value` under.
    static func type(of value: HyperParameterValue) -> HParamInfo.DataType {
        switch value {
        case .int, .float: return .float64
        case .string: return .string
        case .bool: return .bool
        }
    }

    /// The hyperparameter's column: an interval for an integer or a float range, the list of values for
    /// a choice, `false`/`true` for a boolean, the one value of a fixed parameter.
    static func info(_ spec: HyperParameterSpec) -> HParamInfo {
        switch spec.kind {
        case .int(let domain):
            return HParamInfo(name: spec.name, type: .float64, domain: .interval(min: Double(domain.min), max: Double(domain.max)))
        case .float(let domain):
            return HParamInfo(name: spec.name, type: .float64, domain: .interval(min: domain.min, max: domain.max))
        case .choice(let domain):
            return HParamInfo(name: spec.name, type: domain.values.first.map(type(of:)) ?? .unset,
                              domain: .discrete(domain.values.map(value)))
        case .boolean:
            return HParamInfo(name: spec.name, type: .bool, domain: .discrete([.bool(false), .bool(true)]))
        case .fixed(let fixed):
            return HParamInfo(name: spec.name, type: type(of: fixed), domain: .discrete([value(fixed)]))
        }
    }

    /// The session status of a trial's final state: a complete trial succeeded, a failed one failed; a
    /// pruned trial ended early by design, which TensorBoard has no word for: it counts as a success
    /// (its metrics are real; it has no `score`, and its curves show where it stopped).
    static func status(_ state: TrialState) -> SessionEndInfo.Status {
        switch state {
        case .complete, .pruned: return .success
        case .failed: return .failure
        case .running, .waiting: return .running
        }
    }
}
