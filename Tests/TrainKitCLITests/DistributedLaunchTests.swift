import Foundation
import Testing
@testable import TrainKitCLICore
import TrainKit

@Test func nprocIsRemovedFromTheRanksArguments() {
    #expect(DistributedLaunch.removingNproc(["train", "c.yaml", "--nproc", "2", "--set", "a=1"])
        == ["train", "c.yaml", "--set", "a=1"])
    #expect(DistributedLaunch.removingNproc(["train", "--nproc=3", "c.yaml"]) == ["train", "c.yaml"])
    #expect(DistributedLaunch.removingNproc(["train", "c.yaml"]) == ["train", "c.yaml"])
}

@Test func nprocWithoutMpirunIsANamedError() throws {
    #expect(throws: DistributedError.self) { _ = try DistributedLaunch.findMpirun(["PATH": "/nonexistent-trainkit"]) }
    #expect(throws: DistributedError.self) {
        _ = try DistributedLaunch.findMpirun(["TRAINKIT_MPIRUN": "/nonexistent-trainkit/mpirun", "PATH": "/usr/bin"])
    }
    // A directory on the PATH holding an executable `mpirun` is found.
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("trainkit-mpirun-\(getpid())")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let fake = dir.appendingPathComponent("mpirun")
    try Data("#!/bin/sh\n".utf8).write(to: fake)
    try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: fake.path)
    #expect(try DistributedLaunch.findMpirun(["PATH": "/nonexistent-trainkit:\(dir.path)"]) == fake.path)
}

@Test func nprocMustBePositive() {
    let status = TrainKitCLI.run(arguments: ["train", "missing.yaml", "--nproc", "0"],
                                 io: CommandIO(output: { _ in }, diagnostics: { _ in }))
    #expect(status == ExitStatus.usage.rawValue)
}
