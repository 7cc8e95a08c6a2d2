import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A crash on demand for the resume test of `trainkit tune` (and nothing else reads it).
///
/// With `TRAINKIT_TEST_KILL_AFTER_TRIALS=N` in the environment, `tune` sends itself `SIGKILL` as soon as a trial
/// starts after `N` trials of the study have finished: the study journal then holds `N` finished trials and
/// one started but never finished, as after a crash or `kill -9` mid-study. Rerunning the command without the
/// variable must keep the `N` finished trials and retry the interrupted one.
enum TuneTestHook {
    static let variable = "TRAINKIT_TEST_KILL_AFTER_TRIALS"

    /// `N`, when the variable is set to an integer.
    static var killAfterTrials: Int? { ProcessInfo.processInfo.environment[variable].flatMap { Int($0) } }

    /// Kills this process (`SIGKILL`, no cleanup) when `finished` has reached `N`.
    static func killIfDue(finished: Int) {
        guard let limit = killAfterTrials, finished >= limit else { return }
        kill(getpid(), SIGKILL)
    }
}
