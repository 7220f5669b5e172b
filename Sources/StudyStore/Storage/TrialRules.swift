import Tuning

/// The arguments every conformer refuses before it writes, in the same words, so both backends reject
/// the same calls the same way.
enum TrialRules {
    /// A new trial is WAITING, or RUNNING with the worker that runs it.
    static func checkNew(state: TrialState, worker: String?) throws(StoreError) {
        guard state == .waiting || state == .running else {
            throw .invalidArgument("New trials are WAITING or RUNNING, not \(state.rawValue).")
        }
        guard state == .waiting || worker != nil else {
            throw .invalidArgument("A RUNNING trial needs the worker that runs it.")
        }
    }

    /// A trial ends COMPLETE, PRUNED or FAILED.
    static func checkFinal(_ state: TrialState) throws(StoreError) {
        guard state.isFinished else {
            throw .invalidArgument("finishTrial takes COMPLETE, PRUNED or FAILED, not \(state.rawValue).")
        }
    }
}
