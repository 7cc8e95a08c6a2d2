/// A model as a user names it: `NAME` (its latest version), `NAME@3` (a version) or `NAME@production` (an alias).
public struct ModelReference: Equatable, Sendable, CustomStringConvertible {
    public enum Selector: Equatable, Sendable {
        case latest
        case version(Int)
        case alias(String)
    }

    public var name: String
    public var selector: Selector

    public init(name: String, selector: Selector) {
        self.name = name
        self.selector = selector
    }

    /// Parses `NAME`, `NAME@N`, `NAME@ALIAS` (`NAME@latest` is the latest version).
    ///
    /// - Throws: ``RegistryError/invalid(_:)`` naming the text and what is wrong with it.
    public init(parsing text: String) throws {
        let parts = text.split(separator: "@", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        try Self.checkName(parts[0], in: text)
        name = parts[0]
        guard parts.count == 2 else {
            selector = .latest
            return
        }
        let tail = parts[1]
        if let number = Int(tail) {
            guard number >= 1 else { throw RegistryError.invalid("\(text): versions are numbered from 1") }
            selector = .version(number)
        } else if tail == "latest" {
            selector = .latest
        } else {
            try Self.checkAlias(tail)
            selector = .alias(tail)
        }
    }

    /// Whether `text` looks like a registry reference rather than a path (`NAME@...`, no slash).
    public static func looksLikeReference(_ text: String) -> Bool {
        text.contains("@") && !text.contains("/") && (try? ModelReference(parsing: text)) != nil
    }

    public var description: String {
        switch selector {
        case .latest: return name
        case .version(let v): return "\(name)@\(v)"
        case .alias(let a): return "\(name)@\(a)"
        }
    }

    private static func isNameCharacter(_ c: Character) -> Bool {
        c.isASCII && (c.isLetter || c.isNumber || c == "_" || c == "-" || c == ".")
    }

    /// A model name: 1-100 of letters, digits, `_`, `-`, `.`, starting with a letter or digit.
    public static func checkName(_ name: String, in text: String? = nil) throws {
        let context = text.map { "\($0): " } ?? ""
        guard !name.isEmpty, name.count <= 100, name.allSatisfy(isNameCharacter),
              let first = name.first, first.isLetter || first.isNumber else {
            throw RegistryError.invalid(
                "\(context)'\(name)' is not a model name (1-100 letters, digits, '_', '-', '.', starting with a letter or digit)")
        }
    }

    /// An alias: like a name, but not a number (`NAME@3` is version 3) and not `latest`.
    public static func checkAlias(_ alias: String) throws {
        guard !alias.isEmpty, alias.count <= 64, alias.allSatisfy(isNameCharacter), alias.first?.isLetter == true,
              alias != "latest" else {
            throw RegistryError.invalid(
                "'\(alias)' is not an alias name (1-64 letters, digits, '_', '-', '.', starting with a letter; not 'latest')")
        }
    }
}
