import TrainKitCore
import TrainKitTestSupport

/// Maps a fixture op (torch name + attrs) onto TrainKit's Tensor API.
enum CoreOpDispatch {
    static func apply(_ c: FixtureCase, _ inputs: [String: Tensor]) -> [String: Tensor] {
        let x = inputs["input"]
        let dims = c.ints("dim")
        let keep = c.bool("keepdim") ?? false
        let out: Tensor
        switch c.op {
        case "add": out = x! + inputs["other"]!
        case "sub": out = x! - inputs["other"]!
        case "mul": out = x! * inputs["other"]!
        case "div": out = x! / inputs["other"]!
        case "maximum": out = x!.maximum(inputs["other"]!)
        case "minimum": out = x!.minimum(inputs["other"]!)
        case "neg": out = -x!
        case "exp": out = x!.exp()
        case "log": out = x!.log()
        case "sqrt": out = x!.sqrt()
        case "abs": out = x!.abs()
        case "square": out = x!.square()
        case "relu": out = x!.relu()
        case "sigmoid": out = x!.sigmoid()
        case "tanh": out = x!.tanh()
        case "silu": out = x!.silu()
        case "pow": out = x!.pow(c.double("exponent")!)
        case "leaky_relu": out = x!.leakyRelu(negativeSlope: c.double("negative_slope")!)
        case "elu": out = x!.elu(alpha: c.double("alpha")!)
        case "gelu": out = x!.gelu(approximate: c.string("approximate") == "tanh")
        case "softplus": out = x!.softplus(beta: c.double("beta")!, threshold: c.double("threshold")!)
        case "clamp": out = x!.clamp(min: c.double("min"), max: c.double("max"))
        case "sum": out = x!.sum(dims, keepDim: keep)
        case "mean": out = x!.mean(dims, keepDim: keep)
        case "max": out = x!.max(dims, keepDim: keep)
        case "min": out = x!.min(dims, keepDim: keep)
        case "logsumexp": out = x!.logsumexp(dims, keepDim: keep)
        case "var": out = x!.variance(dims, correction: c.int("correction")!, keepDim: keep)
        case "std": out = x!.std(dims, correction: c.int("correction")!, keepDim: keep)
        case "argmax": out = x!.argmax(dims?.first, keepDim: keep)
        case "reshape": out = x!.reshape(c.ints("shape")!)
        case "transpose": out = x!.transpose(c.int("dim0")!, c.int("dim1")!)
        case "permute": out = x!.permute(c.ints("dims")!)
        case "cat", "stack":
            let parts = (0..<inputs.count).compactMap { inputs["input\($0)"] }
            out = c.op == "cat" ? Tensor.cat(parts, dim: c.int("dim")!) : Tensor.stack(parts, dim: c.int("dim")!)
        case "narrow": out = x!.narrow(c.int("dim")!, start: c.int("start")!, length: c.int("length")!)
        case "index_select": out = x!.indexSelect(c.int("dim")!, inputs["index"]!)
        case "gather": out = x!.gather(c.int("dim")!, inputs["index"]!)
        case "expand": out = x!.expand(c.ints("shape")!)
        case "squeeze": out = c.isNull("dim") ? x!.squeeze() : x!.squeeze(c.ints("dim")!)
        case "unsqueeze": out = x!.unsqueeze(c.int("dim")!)
        case "flatten": out = x!.flatten(startDim: c.int("start_dim")!, endDim: c.int("end_dim")!)
        case "pad": out = x!.pad(c.ints("pad")!, value: c.double("value") ?? 0)
        case "matmul": out = x!.matmul(inputs["other"]!)
        case "bmm": out = x!.bmm(inputs["mat2"]!)
        case "linear": out = Tensor.linear(x!, weight: inputs["weight"]!, bias: inputs["bias"])
        case "softmax": out = x!.softmax(c.int("dim")!)
        case "log_softmax": out = x!.logSoftmax(c.int("dim")!)
        default: fatalError("no dispatch for op \(c.op) (case \(c.name))")
        }
        return ["output": out]
    }
}
