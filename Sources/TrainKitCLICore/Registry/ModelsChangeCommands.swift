import ArgumentParser
import Foundation
import TrainKitRegistry

/// `trainkit models delete NAME@V`.
struct ModelsDeleteCommand: CLICommand {
    static let configuration = CommandConfiguration(
        commandName: "delete", abstract: "Delete a version that no alias names, with its artifacts.")

    @Argument(help: ArgumentHelp("The version to delete.", valueName: "name@version"))
    var model: String

    @OptionGroup var storeOptions: StoreOptions

    func execute(_ io: CommandIO) throws {
        let reference = try ModelReference(parsing: model)
        guard case .version = reference.selector else {
            throw ConfigError.usage("delete \(model): name the version to delete, NAME@N (an alias or NAME alone could change under you)")
        }
        let store = try storeOptions.open()
        defer { store.close() }
        let version = try store.delete(reference, user: RegistryModels.user)
        io.output("deleted \(version.reference)")
    }
}

/// `trainkit models alias set NAME@V ALIAS`.
struct ModelsAliasSetCommand: CLICommand {
    static let configuration = CommandConfiguration(
        commandName: "set", abstract: "Point ALIAS at a version (no gate; `models promote` checks rules first).")

    @Argument(help: ArgumentHelp("The version.", valueName: "name@version"))
    var model: String

    @Argument(help: "The alias (candidate, production, or your own).")
    var alias: String

    @OptionGroup var storeOptions: StoreOptions

    func execute(_ io: CommandIO) throws {
        let store = try storeOptions.open()
        defer { store.close() }
        let version = try store.setAlias(alias, to: ModelReference(parsing: model), user: RegistryModels.user)
        io.output("\(version.name)@\(alias) -> \(version.reference)")
    }
}

/// `trainkit models alias remove NAME ALIAS`.
struct ModelsAliasRemoveCommand: CLICommand {
    static let configuration = CommandConfiguration(commandName: "remove", abstract: "Remove an alias.")

    @Argument(help: "The model.")
    var name: String

    @Argument(help: "The alias.")
    var alias: String

    @OptionGroup var storeOptions: StoreOptions

    func execute(_ io: CommandIO) throws {
        let store = try storeOptions.open()
        defer { store.close() }
        let version = try store.removeAlias(alias, of: name, user: RegistryModels.user)
        io.output("removed \(name)@\(alias) (it named \(name)@\(version))")
    }
}

/// `trainkit models promote NAME@V --to ALIAS [--require RULE]... [--must-beat ALIAS]`.
struct ModelsPromoteCommand: CLICommand {
    static let configuration = CommandConfiguration(
        commandName: "promote",
        abstract: "Move an alias to a version if it passes the gate; exit 1 with a table of why if not.",
        discussion: """
            Rules read METRIC OP NUMBER (OP: >= > <= < == !=), e.g. --require "test_accuracy >= 0.9"; several rules \
            join with 'and' or repeat --require. --must-beat ALIAS also requires the candidate to do strictly better \
            than the version holding ALIAS on the rules' metrics (or --metric), and that comparison counts only when \
            both were tested on the same data (the same SHA-256); otherwise the gate refuses and says so. Every \
            promotion and refusal is recorded with the user, the time, the rule and the values (`models history`).
            """)

    @Argument(help: ArgumentHelp("The candidate version.", valueName: "name@version"))
    var model: String

    @Option(help: "The alias to move.")
    var to: String

    @Option(help: ArgumentHelp("A rule the candidate's metrics must pass (repeatable).", valueName: "rule"))
    var require: [String] = []

    @Option(name: .customLong("must-beat"), help: ArgumentHelp("The candidate must beat this alias's current holder.", valueName: "alias"))
    var mustBeat: String?

    @Option(help: ArgumentHelp(
        "A metric to beat the holder on (repeatable; default: the rules' metrics); loss- and error-like names are better lower.",
        valueName: "name"))
    var metric: [String] = []

    @Flag(help: "Print the decision as one JSON object.")
    var json = false

    @OptionGroup var storeOptions: StoreOptions

    func execute(_ io: CommandIO) throws {
        let reference = try ModelReference(parsing: model)
        let rules = try require.flatMap { try PromotionRule.parse($0) }
        guard !rules.isEmpty || mustBeat != nil else {
            throw ConfigError.usage("promote: give the gate at least one --require rule or --must-beat ALIAS (`models alias set` moves an alias without a gate)")
        }
        let lowerIsBetter = ["loss", "error", "rmse", "mae", "mse", "perplexity"]
        let compareOn = metric.map { name in (metric: name, higherIsBetter: !lowerIsBetter.contains { name.lowercased().contains($0) }) }
        let gate = PromotionGate(rules: rules, mustBeat: mustBeat, compareOn: compareOn)
        let store = try storeOptions.open()
        defer { store.close() }
        let decision = try store.promote(reference, to: to, gate: gate, user: RegistryModels.user)
        if json {
            try io.json(decision)
        } else {
            io.output(decision.table)
        }
        guard decision.passed else {
            throw PromotionRefused(candidate: decision.candidate, alias: to, failed: decision.checks.filter { !$0.passed }.count)
        }
        if !json { io.output("promoted \(decision.candidate) to \(reference.name)@\(to)\(decision.holder.map { " (was \($0))" } ?? "")") }
    }
}

/// `trainkit models gc [--dry-run] [--older-than SECONDS]`.
struct ModelsGCCommand: CLICommand {
    static let configuration = CommandConfiguration(
        commandName: "gc",
        abstract: "Remove artifact folders that no version names (left by registrations killed before they committed).",
        discussion: """
            Only folders the store made (NAME/.incoming-TOKEN, NAME/vN-TOKEN) that no version names and that nothing \
            touched for --older-than seconds (default an hour, so a registration copying its files now is left alone).
            """)

    @Flag(help: "List what would be removed; remove nothing.")
    var dryRun = false

    @Option(help: ArgumentHelp("Leave folders modified in the last SECONDS.", valueName: "seconds"))
    var olderThan: Double = 3600

    @Flag(help: "Print one JSON object (removed or, with --dry-run, to remove).")
    var json = false

    @OptionGroup var storeOptions: StoreOptions

    func validate() throws {
        guard olderThan >= 0, olderThan.isFinite else { throw ValidationError("--older-than must be >= 0 seconds, got \(olderThan)") }
    }

    func execute(_ io: CommandIO) throws {
        let store = try storeOptions.open()
        defer { store.close() }
        let orphans = try store.orphanedArtifacts(olderThan: olderThan)
        if !dryRun { try store.removeOrphanedArtifacts(orphans) }
        if json {
            struct Summary: Encodable { var dryRun: Bool; var folders: [OrphanedArtifact]; var bytes: Int64 }
            return try io.json(Summary(dryRun: dryRun, folders: orphans, bytes: orphans.reduce(0) { $0 + $1.bytes }))
        }
        for orphan in orphans { io.output("\(dryRun ? "would remove" : "removed") \(orphan.path) (\(orphan.bytes) bytes)") }
        io.output("\(orphans.count) orphaned artifact folder\(orphans.count == 1 ? "" : "s"), \(orphans.reduce(0) { $0 + $1.bytes }) bytes\(dryRun ? " (dry run: nothing removed)" : "")")
    }
}
