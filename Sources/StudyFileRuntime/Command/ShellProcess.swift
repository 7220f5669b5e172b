#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import TunerKit

/// A `/bin/sh -c` child in its own process group, whose stdout is read line by line as it comes and
/// whose stderr is kept (its end) for error messages. The whole group is killed on timeout, when the
/// shell has exited but something it left behind still holds its output open (after `outputGrace`),
/// when the line handler throws (the trial was pruned or stopped: SIGTERM first, then SIGKILL after
/// `interruptGrace`, so a training script can save what it has), and when the search is interrupted
/// (after passing the signal on and waiting `interruptGrace`).
struct ShellProcess {
    /// Seconds to keep reading after the shell exited while a child it left still holds stdout or
    /// stderr open (`( sleep 40 & ); echo '{"loss": 0.2}'`); then the group is killed.
    static let outputGrace = 1.5
    /// Seconds an interrupted, pruned or stopped command gets to end on the signal it was passed (SIGINT
    /// or SIGTERM) before its group is killed.
    static let interruptGrace = 3.0

    /// How the child ended.
    enum Termination: Equatable {
        case exited(Int32)
        case signaled(Int32)
        case timedOut
    }

    struct Outcome {
        var termination: Termination
        var stdout: String
        var stderrLines: [String]
    }

    let command: String
    let environment: [String: String]
    let timeout: Double?

    /// Runs the command, calling `onLine` for each complete stdout line. When `onLine` throws, the
    /// process group is killed and the error is rethrown.
    ///
    /// - Throws: `CommandTrialError.launchFailed` when the process cannot be started; what `onLine`
    ///   throws; `TrialStop.interrupted` when the search was interrupted (the group has ended).
    func run(onLine: (String) throws -> Void) throws -> Outcome {
        var outPipe: [Int32] = [0, 0]
        var errPipe: [Int32] = [0, 0]
        guard pipe(&outPipe) == 0, pipe(&errPipe) == 0 else {
            throw CommandTrialError(reason: .launchFailed("pipe() failed: errno \(errno)"), command: command, stderrTail: [])
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, outPipe[1], 1)
        posix_spawn_file_actions_adddup2(&actions, errPipe[1], 2)
        for fd in [outPipe[0], outPipe[1], errPipe[0], errPipe[1]] { posix_spawn_file_actions_addclose(&actions, fd) }
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        // The tuner ignores SIGINT / SIGTERM (a dispatch source handles them) and Swift ignores SIGPIPE;
        // ignored signals stay ignored across exec, so the command gets the default actions back and
        // an empty signal mask, or it could not be interrupted.
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGINT, SIGTERM, SIGPIPE, SIGHUP, SIGQUIT] { sigaddset(&defaults, signal) }
        var emptyMask = sigset_t()
        sigemptyset(&emptyMask)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setsigmask(&attributes, &emptyMask)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))
        posix_spawnattr_setpgroup(&attributes, 0)

        let arguments = ["/bin/sh", "-c", command]
        let environmentStrings = environment.map { "\($0.key)=\($0.value)" }
        var pid: pid_t = 0
        let status = withCStrings(arguments) { argv in
            withCStrings(environmentStrings) { envp in
                posix_spawn(&pid, "/bin/sh", &actions, &attributes, argv, envp)
            }
        }
        close(outPipe[1])
        close(errPipe[1])
        guard status == 0 else {
            close(outPipe[0])
            close(errPipe[0])
            throw CommandTrialError(reason: .launchFailed("posix_spawn failed: \(String(cString: strerror(status)))"), command: command, stderrTail: [])
        }
        SearchInterruption.register(processGroup: pid)
        defer {
            SearchInterruption.unregister(processGroup: pid)
            close(outPipe[0])
            close(errPipe[0])
        }

        let deadline = timeout.map { Date().addingTimeInterval($0) }
        var stdoutText = ""
        var pendingLine: [UInt8] = []
        var stderrBytes: [UInt8] = []
        var openFDs: Set<Int32> = [outPipe[0], errPipe[0]]
        var timedOut = false
        var buffer = [UInt8](repeating: 0, count: 65536)

        var exitStatus: Int32?
        var exitedAt: Date?
        var groupKilledAt: Date?

        func killGroup() {
            kill(-pid, SIGKILL)
        }
        /// Reaps the shell if it has exited, without waiting.
        func reapIfExited() {
            guard exitStatus == nil else { return }
            var waitStatus: Int32 = 0
            if waitpid(pid, &waitStatus, WNOHANG) == pid {
                exitStatus = waitStatus
                exitedAt = Date()
            }
        }
        func reap() -> Int32 {
            if let exitStatus { return exitStatus }
            var waitStatus: Int32 = 0
            while waitpid(pid, &waitStatus, 0) == -1 && errno == EINTR {}
            exitStatus = waitStatus
            return waitStatus
        }
        /// Passes `signal` to the group, gives the whole group `interruptGrace` to end (a program saving
        /// its state on SIGINT or SIGTERM may outlive the shell that started it), then kills what is left.
        func endGroup(with signal: Int32) {
            kill(-pid, signal)
            let until = Date().addingTimeInterval(Self.interruptGrace)
            while Date() < until {
                reapIfExited()
                if exitStatus != nil && kill(-pid, 0) != 0 { break }
                usleep(20_000)
            }
            killGroup()
            _ = reap()
        }
        func endForInterruption(_ signal: Int32) -> TrialStop {
            endGroup(with: signal)
            return TrialStop.interrupted(signal: signal)
        }

        do {
            while !openFDs.isEmpty {
                if let signal = SearchInterruption.signal { throw endForInterruption(signal) }
                reapIfExited()
                if let exitedAt, groupKilledAt == nil, Date().timeIntervalSince(exitedAt) > Self.outputGrace {
                    // The command is over; what still holds its output is a child it left behind.
                    killGroup()
                    groupKilledAt = Date()
                }
                // Killed children close their pipes at once; one that escaped the group does not hold us.
                if let groupKilledAt, Date().timeIntervalSince(groupKilledAt) > 1 { break }
                // Short waits, so an exit, an interruption or the deadline is noticed promptly.
                var waitMilliseconds: Int32 = 100
                if let deadline {
                    let remaining = deadline.timeIntervalSinceNow
                    if remaining <= 0 { timedOut = true; break }
                    waitMilliseconds = Int32(min(remaining * 1000, 100).rounded(.up))
                }
                var pollFDs = openFDs.sorted().map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
                let ready = poll(&pollFDs, nfds_t(pollFDs.count), waitMilliseconds)
                if ready < 0 {
                    if errno == EINTR { continue }
                    break
                }
                for entry in pollFDs where entry.revents != 0 {
                    let count = buffer.withUnsafeMutableBytes { read(entry.fd, $0.baseAddress, $0.count) }
                    if count <= 0 {
                        if count < 0 && (errno == EINTR || errno == EAGAIN) { continue }
                        openFDs.remove(entry.fd)
                        continue
                    }
                    let chunk = buffer[0..<count]
                    if entry.fd == errPipe[0] {
                        stderrBytes += chunk
                        if stderrBytes.count > 131_072 { stderrBytes.removeFirst(stderrBytes.count - 65_536) }
                    } else {
                        for byte in chunk {
                            if byte == UInt8(ascii: "\n") {
                                let line = String(decoding: pendingLine, as: UTF8.self)
                                pendingLine.removeAll(keepingCapacity: true)
                                stdoutText += line + "\n"
                                try onLine(line)
                            } else {
                                pendingLine.append(byte)
                            }
                        }
                    }
                }
            }
        } catch {
            // A step reported after the interruption ends the command as gracefully as the check above.
            if case .interrupted(let signal)? = error as? TrialStop { throw endForInterruption(signal) }
            // A pruned or stopped trial's command is asked to end (SIGTERM) before it is killed.
            if error is TrialStop { endGroup(with: SIGTERM) } else { killGroup(); _ = reap() }
            throw error
        }
        if !pendingLine.isEmpty {
            let line = String(decoding: pendingLine, as: UTF8.self)
            stdoutText += line + "\n"
            do {
                try onLine(line)
            } catch {
                if error is TrialStop { endGroup(with: SIGTERM) } else { killGroup(); _ = reap() }
                throw error
            }
        }
        if timedOut { killGroup() }
        let waitStatus = reap()
        // The shell may have exited while children it left behind still run: end them too.
        kill(-pid, SIGKILL)
        let termination: Termination
        if timedOut {
            termination = .timedOut
        } else if waitStatus & 0x7f == 0 {
            termination = .exited((waitStatus >> 8) & 0xff)
        } else {
            termination = .signaled(waitStatus & 0x7f)
        }
        let stderrText = String(decoding: stderrBytes, as: UTF8.self)
        var stderrLines = stderrText.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if stderrLines.last == "" { stderrLines.removeLast() }
        return Outcome(termination: termination, stdout: stdoutText, stderrLines: Array(stderrLines.suffix(20)))
    }
}

/// Calls `body` with a NULL-terminated C array of C strings.
private func withCStrings<Result>(_ strings: [String], _ body: ([UnsafeMutablePointer<CChar>?]) -> Result) -> Result {
    let pointers = strings.map { strdup($0) } + [nil]
    defer { for pointer in pointers { free(pointer) } }
    return body(pointers)
}
