import Dispatch
import Foundation
import Synchronization
import TunerKit

/// Ctrl-C (SIGINT) and SIGTERM for `tuner search` and `tuner worker`: the first asks the search to stop
/// (`SearchInterruption`: no new trial, running commands get the signal, interrupted trials go back
/// to WAITING, then the command exits with 130 / 143); a second one kills the running commands'
/// process groups and exits at once.
///
/// The signals are received by dispatch sources, not by a signal handler, so the work done on them
/// (messages, atomics, `kill`) runs on an ordinary thread.
enum InterruptSignals {
    private static let sources = Mutex<[any DispatchSourceSignal]>([])

    /// Starts handling SIGINT and SIGTERM for the rest of the process (once; later calls do nothing).
    static func install() {
        sources.withLock { sources in
            guard sources.isEmpty else { return }
            for number in [SIGINT, SIGTERM] {
                // The default action would end the process before the dispatch source sees the signal.
                signal(number, SIG_IGN)
                let source = DispatchSource.makeSignalSource(signal: number, queue: .global(qos: .userInitiated))
                source.setEventHandler { received(number) }
                source.resume()
                sources.append(source)
            }
        }
    }

    private static func received(_ number: Int32) {
        let name = SearchInterruption.name(of: number)
        if SearchInterruption.request(signal: number) {
            FileHandle.standardError.write(Data(
                "\ntuner: \(name) received: stopping the search; the running trials will be put back to run on resume (press Ctrl-C again to quit at once).\n".utf8))
        } else {
            SearchInterruption.killRunningCommands()
            FileHandle.standardError.write(Data("\ntuner: \(name) received again: quitting now.\n".utf8))
            _exit(SearchInterruption.exitStatus(for: number))
        }
    }
}
