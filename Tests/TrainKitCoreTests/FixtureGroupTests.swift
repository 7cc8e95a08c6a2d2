import Testing
import TrainKitCore
import TrainKitTestSupport

/// The PyTorch reference cases of the core op groups: forward values and every input gradient, in
/// float32 within each case's tolerance, plus a float64 finite-difference check of every case's gradient.
@Suite struct FixtureGroupTests {
    func run(_ group: String) throws {
        let cases = try Fixtures.cases(group)
        #expect(!cases.isEmpty, "\(group).json has no cases")
        for c in cases {
            for failure in OpCaseRunner.failures(of: c, apply: CoreOpDispatch.apply) {
                Issue.record(Comment(rawValue: failure))
            }
            if let failure = OpCaseRunner.gradientCheck(of: c, apply: CoreOpDispatch.apply) {
                Issue.record(Comment(rawValue: failure))
            }
        }
    }

    @Test func elementwise() throws { try run("elementwise") }
    @Test func reduction() throws { try run("reduction") }
    @Test func shape() throws { try run("shape") }
    @Test func linalg() throws { try run("linalg") }
}
