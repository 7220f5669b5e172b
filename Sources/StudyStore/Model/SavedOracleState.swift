import Foundation
import JSONValues
import Tuning

/// An oracle's state as a store keeps it (see `OracleStateChanges`): the core, the state without its
/// trials, and each trial's latest JSON apart, by number — all the oracle's own bytes, so a worker
/// restores it without re-encoding — with the version that orders the saves. A state saved whole (by an
/// older build, or `saveOracleState(study:_:)` with a whole state) has its trials in the core and none
/// apart.
public struct SavedOracleState: Sendable, Equatable {
    /// The state without the trials kept apart (JSON).
    public var core: Data
    /// The latest JSON of each trial kept apart, by number; each replaces the core's copy, if any.
    public var trials: [Int: Data]
    /// Incremented on every save; a worker's cached oracle is current while the version is unchanged.
    public var version: Int
    /// When it was last saved, Unix seconds.
    public var updatedAt: Double

    /// A saved state.
    public init(core: Data, trials: [Int: Data] = [:], version: Int, updatedAt: Double) {
        self.core = core
        self.trials = trials
        self.version = version
        self.updatedAt = updatedAt
    }

    /// The trials' JSON in number order.
    public var orderedTrials: [Data] { trials.sorted { $0.key < $1.key }.map(\.value) }

    /// The parts, to save in another store as they are (`tuner copy`).
    public var changes: OracleStateChanges { OracleStateChanges(core: core, trials: trials) }

    /// The whole state as one JSON value, the trials kept apart put back into the core's `trials` list
    /// (for exports and reports).
    ///
    /// - Throws: `StoreError.damagedData` naming `study` and `oracle_state` when the bytes are not JSON
    ///   or the core has no `trials` list.
    public func json(study: String, location: String) throws(StoreError) -> JSONValue {
        func damaged(_ detail: String) -> StoreError {
            .damagedData(location: location, study: study, trial: nil, field: "oracle_state", detail: detail)
        }
        let parsedCore: JSONValue
        do {
            parsedCore = try JSONValue.parse(core)
        } catch {
            throw damaged(JSONCoding.describe(error))
        }
        guard !trials.isEmpty else { return parsedCore }
        guard case .object(var object) = parsedCore, case .array(var list)? = object["trials"] else {
            throw damaged("the state has no \"trials\" list to put \(trials.count) stored trials in")
        }
        for (number, data) in trials.sorted(by: { $0.key < $1.key }) {
            let trial: JSONValue
            do {
                trial = try JSONValue.parse(data)
            } catch {
                throw .damagedData(location: location, study: study, trial: number, field: "oracle_trials",
                                   detail: JSONCoding.describe(error))
            }
            if number >= 1 && number <= list.count {
                list[number - 1] = trial
            } else if number == list.count + 1 {
                list.append(trial)
            } else {
                throw damaged("stored trial \(number) follows trial \(list.count)")
            }
        }
        object["trials"] = .array(list)
        return .object(object)
    }
}
