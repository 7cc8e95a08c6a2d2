import Foundation
import Testing
import TrainKitCore
import TrainKitOptim
import TrainKitTestSupport

/// The PyTorch reference cases of `optim.json`: six steps of each optimizer from given parameters and
/// gradients, and the `clip` list of gradient-clipping cases.

/// Runs one optimizer case; returns one failure message per mismatching step and parameter.
func runOptimizerCase(_ c: FixtureCase) -> [String] {
    guard let hyper = c.raw["hyper"] as? [String: Any], let kind = c.raw["optimizer"] as? String else {
        return ["\(c.name): no optimizer or hyper"]
    }
    func number(_ key: String) -> Double? { (hyper[key] as? NSNumber)?.doubleValue }
    func flag(_ key: String) -> Bool? { (hyper[key] as? NSNumber)?.boolValue }
    let betas = (hyper["betas"] as? [NSNumber]).map { ($0[0].doubleValue, $0[1].doubleValue) }
    switch kind {
    case "sgd":
        return runOptimizerCase(
            c,
            rule: SGD(
                lr: number("lr")!, momentum: number("momentum")!,
                dampening: number("dampening")!, weightDecay: number("weight_decay")!,
                nesterov: flag("nesterov")!))
    case "adam":
        return runOptimizerCase(
            c,
            rule: Adam(
                lr: number("lr")!, betas: betas!, eps: number("eps")!,
                weightDecay: number("weight_decay")!, amsgrad: flag("amsgrad")!))
    case "adamw":
        return runOptimizerCase(
            c,
            rule: AdamW(
                lr: number("lr")!, betas: betas!, eps: number("eps")!,
                weightDecay: number("weight_decay")!, amsgrad: flag("amsgrad")!))
    case "rmsprop":
        return runOptimizerCase(
            c,
            rule: RMSprop(
                lr: number("lr")!, alpha: number("alpha")!, eps: number("eps")!,
                weightDecay: number("weight_decay")!, momentum: number("momentum")!,
                centered: flag("centered")!))
    case "adagrad":
        return runOptimizerCase(
            c,
            rule: Adagrad(
                lr: number("lr")!, lrDecay: number("lr_decay")!,
                weightDecay: number("weight_decay")!,
                initialAccumulatorValue: number("initial_accumulator_value")!,
                eps: number("eps")!))
    default:
        return ["\(c.name): unknown optimizer '\(kind)'"]
    }
}

func runOptimizerCase<Rule: UpdateRule>(_ c: FixtureCase, rule: Rule) -> [String] {
    let initial = c.tensors("params")
    let names = initial.keys.sorted()
    let parameters = names.map { Parameter(initial[$0]!) }
    let optimizer = Optimizer(rule, parameters: parameters)
    guard let gradSteps = c.raw["grad_steps"] as? [[String: Any]], let expected = c.raw["expected"] as? [[String: Any]],
        gradSteps.count == expected.count, !gradSteps.isEmpty
    else { return ["\(c.name): malformed grad_steps / expected"] }
    var failures: [String] = []
    for (t, (grads, after)) in zip(gradSteps, expected).enumerated() {
        for (name, parameter) in zip(names, parameters) {
            parameter.grad = FixtureCase.tensor(from: grads[name] as Any)
        }
        optimizer.step()
        for (name, parameter) in zip(names, parameters) {
            guard let want = FixtureCase.tensor(from: after[name] as Any, float64: true) else {
                failures.append("\(c.name): step \(t + 1) has no expected '\(name)'")
                continue
            }
            if let message = closenessFailure(parameter.detachedValue, want, rtol: c.rtol, atol: c.atol) {
                failures.append("\(c.name): step \(t + 1), \(name): \(message)")
            }
        }
    }
    return failures
}

/// Runs one clip case; returns the failure messages.
func runClipCase(_ c: FixtureCase) -> [String] {
    let grads = c.tensors("grads")
    let names = grads.keys.sorted()
    let parameters = names.map { name -> Parameter in
        let parameter = Parameter(Tensor.zeros(grads[name]!.shape))
        parameter.grad = grads[name]
        return parameter
    }
    var failures: [String] = []
    switch c.op {
    case "clip_grad_norm_":
        let normType: Double = c.string("norm_type") == "inf" ? .infinity : c.double("norm_type")!
        do {
            let total = try clipGradNorm(parameters, maxNorm: c.double("max_norm")!, normType: normType)
            let want = (c.raw["total_norm"] as! NSNumber).doubleValue
            if !(Swift.abs(total - want) <= c.atol + c.rtol * Swift.abs(want)) {
                failures.append("\(c.name): total norm \(total), expected \(want)")
            }
        } catch {
            failures.append("\(c.name): threw \(error)")
        }
    case "clip_grad_value_":
        clipGradValue(parameters, clipValue: c.double("clip_value")!)
    default:
        return ["\(c.name): unknown clip op '\(c.op)'"]
    }
    let expected = c.tensors("expected", float64: true)
    for (name, parameter) in zip(names, parameters) {
        guard let want = expected[name], let got = parameter.grad else {
            failures.append("\(c.name): missing expected or gradient for '\(name)'")
            continue
        }
        if let message = closenessFailure(got, want, rtol: c.rtol, atol: c.atol) {
            failures.append("\(c.name): \(name): \(message)")
        }
    }
    return failures
}

@Test func optim() throws {
    let cases = try Fixtures.cases("optim")
    #expect(!cases.isEmpty, "optim.json has no cases")
    for c in cases {
        for failure in runOptimizerCase(c) { Issue.record(Comment(rawValue: failure)) }
    }
}

@Test func optimClip() throws {
    let cases = try Fixtures.cases("optim", key: "clip")
    #expect(!cases.isEmpty, "optim.json has no clip cases")
    for c in cases {
        for failure in runClipCase(c) { Issue.record(Comment(rawValue: failure)) }
    }
}
