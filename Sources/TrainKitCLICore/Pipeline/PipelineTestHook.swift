import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A crash on demand for the resume tests of `trainkit pipeline` (and nothing else reads it).
///
/// With `TRAINKIT_TEST_PIPELINE_KILL=STAGE` the pipeline sends itself `SIGKILL` as soon as `STAGE` is recorded
/// as started; with `STAGE+done`, after the stage's work and before it is recorded as done (for `register`:
/// the version is in the store, the journal does not know it). `--resume` must then finish the pipeline with
/// no stage's work lost or done twice.
enum PipelineTestHook {
    static let variable = "TRAINKIT_TEST_PIPELINE_KILL"

    static func killIfDue(_ stage: String, done: Bool) {
        guard let wanted = ProcessInfo.processInfo.environment[variable], wanted == (done ? "\(stage)+done" : stage) else {
            return
        }
        kill(getpid(), SIGKILL)
    }
}
