import Testing
@testable import TrainKitData

@Test func placeholderData() { #expect(Bool(true)) }
