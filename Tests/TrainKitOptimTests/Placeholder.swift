import Testing
@testable import TrainKitOptim

@Test func placeholderOptim() { #expect(Bool(true)) }
