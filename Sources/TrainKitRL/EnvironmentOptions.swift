/// Keyword options for `Environments.make`, as `gymnasium.make(id, **kwargs)`: Gymnasium's names, text values.
///
/// | id | options |
/// | --- | --- |
/// | CartPole-v1 | `sutton_barto_reward` (`false`) |
/// | Acrobot-v1 | `book_or_nips`: `book` (default) or `nips` |
/// | MountainCar-v0, MountainCarContinuous-v0 | `goal_velocity` (0) |
/// | Pendulum-v1 | `g` (10.0) |
/// | FrozenLake-v1, FrozenLake8x8-v1 | `is_slippery` (`true`), `success_rate` (1/3), `map_name` (`4x4` / `8x8`) |
///
/// An option the environment does not take, or a value that does not parse, throws
/// `EnvironmentError.invalidArgument` naming the environment and the option.
struct EnvironmentOptions {
    let id: String
    var values: [String: String]

    /// Removes and returns option `name` parsed as a number, or `fallback` when absent.
    mutating func double(_ name: String, _ fallback: Double) throws -> Double {
        guard let text = values.removeValue(forKey: name) else { return fallback }
        guard let value = Double(text), value.isFinite else {
            throw EnvironmentError.invalidArgument(name: "\(id) option \(name)", value: text, expected: "a number")
        }
        return value
    }

    /// Removes and returns option `name` parsed as `true`/`false`, or `fallback` when absent.
    mutating func bool(_ name: String, _ fallback: Bool) throws -> Bool {
        guard let text = values.removeValue(forKey: name) else { return fallback }
        switch text.lowercased() {
        case "true", "1", "yes": return true
        case "false", "0", "no": return false
        default:
            throw EnvironmentError.invalidArgument(name: "\(id) option \(name)", value: text, expected: "true or false")
        }
    }

    /// Removes and returns option `name`, which must be one of `allowed`, or `fallback` when absent.
    mutating func choice(_ name: String, _ fallback: String, _ allowed: [String]) throws -> String {
        guard let text = values.removeValue(forKey: name) else { return fallback }
        guard allowed.contains(text) else {
            throw EnvironmentError.invalidArgument(name: "\(id) option \(name)", value: text,
                                                   expected: allowed.joined(separator: " or "))
        }
        return text
    }

    /// Throws for any option left unread.
    func finish() throws {
        guard let (name, value) = values.sorted(by: { $0.key < $1.key }).first else { return }
        throw EnvironmentError.invalidArgument(name: "\(id) option \(name)", value: value,
                                               expected: "an option \(id) takes")
    }
}
