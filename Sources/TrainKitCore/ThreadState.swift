#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The tensor layer's per-thread state: the autograd switch and the position of the global random stream.
///
/// Per thread so that `noGrad {}` or `Random.seed(_:)` on one thread never changes another (concurrent
/// trials, tests). Kept in a plain struct behind a pthread key: reading it costs one `pthread_getspecific`,
/// no reference counting.
struct ThreadState {
    var gradEnabled = true
    var randomSeed: UInt64 = 0
    var randomDrawn: UInt64 = 0

    /// This thread's state, created on first use and freed when the thread exits.
    static var current: UnsafeMutablePointer<ThreadState> {
        if let p = pthread_getspecific(key) { return p.assumingMemoryBound(to: ThreadState.self) }
        return makeCurrent()
    }

    @inline(never)
    private static func makeCurrent() -> UnsafeMutablePointer<ThreadState> {
        let p = UnsafeMutablePointer<ThreadState>.allocate(capacity: 1)
        p.initialize(to: ThreadState())
        pthread_setspecific(key, p)
        return p
    }

    private static let key: pthread_key_t = {
        var key = pthread_key_t()
        #if os(Linux)
            pthread_key_create(&key) { p in p?.assumingMemoryBound(to: ThreadState.self).deallocate() }
        #else
            pthread_key_create(&key) { p in p.assumingMemoryBound(to: ThreadState.self).deallocate() }
        #endif
        return key
    }()
}
