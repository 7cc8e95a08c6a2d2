/// JSON text written by hand where a whole encoder is not wanted (safetensors headers, server responses, bench lines).
public enum JSONText {
    /// `s` as a JSON string literal: quotes, backslashes and control characters escaped (`\n`, `\r`, `\t`, else
    /// `\u00XX`), everything else as is.
    public static func quoted(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}
