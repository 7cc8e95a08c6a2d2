import Testing
import TrainKitCore
import TrainKitTestSupport
@testable import TrainKitNN

/// Every case of the `nn` group (forward and every listed gradient) against PyTorch.
@Test func nn() throws {
    try runGroup("nn") { c, x in
        switch c.op {
        case "softmax": return OpResult(outputs: ["output": x["input"]!.softmax(c.int("dim")!)])
        case "log_softmax": return OpResult(outputs: ["output": x["input"]!.logSoftmax(c.int("dim")!)])
        case "conv1d":
            return OpResult(outputs: ["output": conv1d(x["input"]!, weight: x["weight"]!, bias: x["bias"],
                                                       stride: c.size1d("stride")!, padding: c.size1d("padding")!,
                                                       dilation: c.size1d("dilation")!, groups: c.int("groups")!)])
        case "conv2d":
            return OpResult(outputs: ["output": conv2d(x["input"]!, weight: x["weight"]!, bias: x["bias"],
                                                       stride: c.size2d("stride")!, padding: c.size2d("padding")!,
                                                       dilation: c.size2d("dilation")!, groups: c.int("groups")!)])
        case "conv_transpose2d":
            return OpResult(outputs: ["output": convTranspose2d(
                x["input"]!, weight: x["weight"]!, bias: x["bias"], stride: c.size2d("stride")!,
                padding: c.size2d("padding")!, outputPadding: c.size2d("output_padding")!, groups: c.int("groups")!,
                dilation: c.size2d("dilation")!)])
        case "max_pool2d":
            return OpResult(outputs: ["output": maxPool2d(x["input"]!, kernelSize: c.size2d("kernel_size")!,
                                                          stride: c.size2d("stride"), padding: c.size2d("padding")!)])
        case "avg_pool2d":
            return OpResult(outputs: ["output": avgPool2d(x["input"]!, kernelSize: c.size2d("kernel_size")!,
                                                          stride: c.size2d("stride"), padding: c.size2d("padding")!,
                                                          countIncludePad: c.bool("count_include_pad")!)])
        case "adaptive_avg_pool2d":
            return OpResult(outputs: ["output": adaptiveAvgPool2d(x["input"]!, outputSize: c.size2d("output_size")!)])
        case "batch_norm":
            let input = x["input"]!
            guard (2...4).contains(input.rank) else {  // other ranks: the functional form
                let channels = input.shape[1]
                let r = batchNorm(input, runningMean: .zeros([channels]), runningVar: .ones([channels]), weight: x["weight"],
                                  bias: x["bias"], training: true, momentum: c.double("momentum")!, eps: c.double("eps")!)
                return OpResult(outputs: ["output": r.output, "running_mean": r.runningMean!, "running_var": r.runningVar!])
            }
            let layer: any Layer = input.rank == 4
                ? BatchNorm2d(weight: x["weight"], bias: x["bias"], eps: c.double("eps")!, momentum: c.double("momentum")!)
                : BatchNorm1d(weight: x["weight"], bias: x["bias"], eps: c.double("eps")!, momentum: c.double("momentum")!)
            let out = layer(input)
            let buffers = Dictionary(uniqueKeysWithValues: layer.namedBuffers.map { ($0.name, $0.buffer.value) })
            let params = Dictionary(uniqueKeysWithValues: layer.namedParameters.map { ($0.name, $0.parameter) })
            return OpResult(outputs: ["output": out, "running_mean": buffers["running_mean"]!,
                                      "running_var": buffers["running_var"]!], parameters: params)
        case "layer_norm":
            let layer = LayerNorm(weight: x["weight"], bias: x["bias"], normalizedShape: c.ints("normalized_shape")!,
                                  eps: c.double("eps")!)
            return OpResult(outputs: ["output": layer(x["input"]!)],
                            parameters: ["weight": layer.weight, "bias": layer.bias].compactMapValues { $0 })
        case "group_norm":
            let layer = GroupNorm(c.int("num_groups")!, weight: x["weight"]!, bias: x["bias"]!, eps: c.double("eps")!)
            return OpResult(outputs: ["output": layer(x["input"]!)],
                            parameters: ["weight": layer.weight!, "bias": layer.bias!])
        case "embedding":
            let layer = Embedding(weight: x["weight"]!, paddingIndex: c.isNull("padding_idx") ? nil : c.int("padding_idx"))
            return OpResult(outputs: ["output": layer(x["index"]!)], parameters: ["weight": layer.weight])
        case "lstm", "gru": return recurrentCase(c, x)
        case "multi_head_attention":
            let layer = MultiheadAttention(inProjWeight: x["in_proj_weight"]!, inProjBias: x["in_proj_bias"],
                                           outProjWeight: x["out_proj_weight"]!, outProjBias: x["out_proj_bias"],
                                           numHeads: c.int("num_heads")!, batchFirst: c.bool("batch_first")!)
            let out = layer(x["query"]!, x["key"]!, x["value"]!, keyPaddingMask: x["key_padding_mask"],
                            attentionMask: x["attn_mask"])
            var params = ["in_proj_weight": layer.inProjWeight, "out_proj_weight": layer.outProj.weight]
            params["in_proj_bias"] = layer.inProjBias
            params["out_proj_bias"] = layer.outProj.bias
            return OpResult(outputs: ["output": out], parameters: params)
        case "scaled_dot_product_attention":
            let out = scaledDotProductAttention(query: x["query"]!, key: x["key"]!, value: x["value"]!,
                                                isCausal: c.bool("is_causal")!,
                                                scale: c.isNull("scale") ? nil : c.double("scale"))
            return OpResult(outputs: ["output": out])
        default: return nil
        }
    }
}

/// LSTM / GRU cases: the layer is built from `weight_ih_l{k}`... and its parameters collect the grads.
private func recurrentCase(_ c: FixtureCase, _ x: [String: Tensor]) -> OpResult {
    let layers = c.int("num_layers")!
    let hasBias = c.bool("bias")!
    func list(_ prefix: String) -> [Tensor] { (0..<layers).map { x["\(prefix)_l\($0)"]! } }
    let (wih, whh) = (list("weight_ih"), list("weight_hh"))
    let (bih, bhh) = hasBias ? (list("bias_ih"), list("bias_hh")) : ([], [])
    let batchFirst = c.bool("batch_first")!
    var outputs: [String: Tensor] = [:]
    var weights: (ih: [Parameter], hh: [Parameter], bih: [Parameter], bhh: [Parameter])
    if c.op == "lstm" {
        let layer = LSTM(weightIH: wih, weightHH: whh, biasIH: hasBias ? bih : nil, biasHH: hasBias ? bhh : nil,
                         batchFirst: batchFirst)
        let (y, state) = layer(x["input"]!, initialState: (x["h0"]!, x["c0"]!))
        outputs = ["output": y, "h_n": state.h, "c_n": state.c]
        weights = (layer.weightIH, layer.weightHH, layer.biasIH, layer.biasHH)
    } else {
        let layer = GRU(weightIH: wih, weightHH: whh, biasIH: hasBias ? bih : nil, biasHH: hasBias ? bhh : nil,
                        batchFirst: batchFirst)
        let (y, h) = layer(x["input"]!, initialState: x["h0"]!)
        outputs = ["output": y, "h_n": h]
        weights = (layer.weightIH, layer.weightHH, layer.biasIH, layer.biasHH)
    }
    var params: [String: Parameter] = [:]
    for k in 0..<layers {
        params["weight_ih_l\(k)"] = weights.ih[k]
        params["weight_hh_l\(k)"] = weights.hh[k]
        if hasBias {
            params["bias_ih_l\(k)"] = weights.bih[k]
            params["bias_hh_l\(k)"] = weights.bhh[k]
        }
    }
    return OpResult(outputs: outputs, parameters: params)
}
