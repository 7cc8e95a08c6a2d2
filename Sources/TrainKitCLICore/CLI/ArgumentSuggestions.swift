import ArgumentParser

/// "Did you mean" for command lines that ArgumentParser refused: an unknown subcommand gets the nearest
/// command (`trainkit trian` → `train`), an unknown option the nearest option of its command, and an option
/// that names a config key (`--epochs`) the `--set` assignment that sets it.
enum ArgumentSuggestions {
    /// The message for `arguments`, which failed to parse, when a token in it is an unknown command or option;
    /// nil when the problem is another one (ArgumentParser's own message then stands).
    static func message(for arguments: [String], root: any ParsableCommand.Type = TrainKitCommand.self) -> String? {
        var command = root
        var names: [String] = []
        for token in arguments {
            if token == "--" { break }
            if token.hasPrefix("-") {
                if let message = unknownOption(token, command: command, names: names) { return message }
                continue
            }
            let subcommands = command.configuration.subcommands
            guard !subcommands.isEmpty else { continue }  // an argument of a command
            let known = subcommands.compactMap { $0.configuration.commandName } + ["help"]
            if let next = subcommands.first(where: { $0.configuration.commandName == token }) {
                command = next
                names.append(token)
                continue
            }
            if token == "help" { return nil }
            let commands = known.filter { $0 != "help" }
            let hint = nearest(token, among: commands).map { "; did you mean '\($0)'?" } ?? ""
            return "\(prefix(names))unknown command '\(token)'\(hint) (commands: \(commands.joined(separator: ", ")))"
        }
        return nil
    }

    /// The message for an option `command` does not have, or nil when it has it.
    static func unknownOption(_ token: String, command: any ParsableCommand.Type, names: [String]) -> String? {
        guard token.hasPrefix("--"), token.count > 2 else { return nil }
        let name = String(token.prefix { $0 != "=" })
        let options = longOptions(of: command)
        guard !options.contains(name) else { return nil }
        let context = prefix(names)
        let key = name.dropFirst(2).replacingOccurrences(of: "-", with: "_")
        let takesSet = options.contains("--set")
        let value = token.contains("=") ? String(token.drop { $0 != "=" }.dropFirst()) : "…"
        let exact = RunConfig.fields.filter { !$0.isSection && $0.key == key }.map(\.path)
        if takesSet, !exact.isEmpty {
            let uses = exact.map { "--set \($0)=\(value)" }.joined(separator: " or ")
            return "\(context)unknown option '\(name)'; '\(key)' is a config key: use \(uses)"
        }
        if let close = nearest(name, among: options) {
            return "\(context)unknown option '\(name)'; did you mean '\(close)'?"
        }
        let leaves = RunConfig.fields.filter { !$0.isSection }
        if takesSet, let close = nearest(key, among: leaves.map(\.key)),
           let field = leaves.first(where: { $0.key == close }) {
            return "\(context)unknown option '\(name)'; did you mean the config key '\(field.path)'? Use --set \(field.path)=\(value)"
        }
        return "\(context)unknown option '\(name)' (options: \(options.joined(separator: " ")))"
    }

    /// ArgumentParser's message for a value outside an option's choices (`The value 'gird' is invalid for
    /// '--sampler <sampler>'. Please provide one of 'grid', 'random' or 'tpe'.`) with the nearest choice
    /// added; nil for other messages.
    static func choiceHint(in message: String) -> String? {
        guard let valueStart = message.range(of: "The value '"),
              let valueEnd = message.range(of: "' is invalid for", range: valueStart.upperBound..<message.endIndex),
              let listStart = message.range(of: "Please provide one of ", range: valueEnd.upperBound..<message.endIndex)
        else { return nil }
        let value = String(message[valueStart.upperBound..<valueEnd.lowerBound])
        let listLine = message[listStart.upperBound...].prefix { $0 != "\n" }
        let choices = listLine.split(separator: "'", omittingEmptySubsequences: false).enumerated().filter { $0.offset % 2 == 1 }.map { String($0.element) }
        guard let close = nearest(value.lowercased(), among: choices) else { return nil }
        return "did you mean '\(close)'?"
    }

    /// `cv: ` (the subcommand a message is about), or nothing at the top level.
    private static func prefix(_ names: [String]) -> String { names.isEmpty ? "" : names.joined(separator: " ") + ": " }

    /// The long options `command` accepts, read from its help (ArgumentParser has no public list of them),
    /// and the ones every command has.
    static func longOptions(of command: any ParsableCommand.Type) -> [String] {
        let help = command.helpMessage(columns: 10_000)
        var found: [String] = []
        for line in help.split(separator: "\n") where line.hasPrefix("  -") {
            for word in line.split(whereSeparator: { $0 == " " || $0 == "," || $0 == "\t" })
            where word.hasPrefix("--") && word.count > 2 {
                let option = String(word.prefix { $0 != "=" && $0 != "<" })
                if !found.contains(option) { found.append(option) }
            }
        }
        for builtIn in ["--help", "--version", "--generate-completion-script"] where !found.contains(builtIn) {
            found.append(builtIn)
        }
        return found
    }
}
