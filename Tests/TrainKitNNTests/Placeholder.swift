import Testing
@testable import TrainKitNN

@Test func placeholderNN() { #expect(Bool(true)) }
