import ArgumentParser
import Foundation

/// `trainkit config schema | docs`: the config schema for editors and for docs/config.md.
struct ConfigCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config",
        abstract: "Print the config schema (JSON Schema for editors) or the key tables of docs/config.md.",
        subcommands: [ConfigSchemaCommand.self, ConfigDocsCommand.self])
}

/// `trainkit config schema`: the JSON Schema of a run config.
struct ConfigSchemaCommand: CLICommand {
    static let configuration = CommandConfiguration(
        commandName: "schema",
        abstract: "Print the JSON Schema of a run config.",
        discussion: """
            Editors with a YAML language server validate and complete configs with it: save it \
            (trainkit config schema > trainkit.schema.json) and start a config with \
            `# yaml-language-server: $schema=trainkit.schema.json`, or map it to a file pattern in the \
            editor's yaml.schemas setting.
            """)

    func execute(_ io: CommandIO) throws {
        io.output(try ConfigJSONSchema.text())
    }
}

/// `trainkit config docs [--update FILE]`: the key tables of docs/config.md.
struct ConfigDocsCommand: CLICommand {
    static let configuration = CommandConfiguration(
        commandName: "docs",
        abstract: "Print the config key tables (markdown), or rewrite the marked tables of a file.")

    @Option(help: ArgumentHelp("Rewrite the generated tables of this markdown file in place (docs/config.md).",
                               valueName: "file"),
            completion: .file(extensions: ["md"]))
    var update: String?

    func execute(_ io: CommandIO) throws {
        guard let update else {
            io.output(ConfigDocs.allTables)
            return
        }
        let text: String
        do {
            text = try String(contentsOfFile: update, encoding: .utf8)
        } catch {
            throw ConfigError.usage("--update \(update): cannot read the file (\(error.localizedDescription))")
        }
        guard ConfigDocs.groups.contains(where: { text.contains(ConfigDocs.beginMarker($0)) }) else {
            throw ConfigError.usage("--update \(update): no generated tables to update (mark one with \(ConfigDocs.beginMarker("data")) … \(ConfigDocs.endMarker))")
        }
        let updated = try ConfigDocs.update(text)
        guard updated != text else { return }
        try Data(updated.utf8).write(to: URL(fileURLWithPath: update), options: .atomic)
        io.output("updated \(update)")
    }
}
