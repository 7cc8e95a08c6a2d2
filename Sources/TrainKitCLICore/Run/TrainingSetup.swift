import Foundation
import TrainKit

/// Turns the `training:` section into the trainer's pieces: loss, optimizer, callbacks.
enum TrainingSetup {
    static func loss(_ t: TrainingConfig, task: TaskKind) -> TrainingLoss {
        switch t.loss ?? (task == .classification ? "cross_entropy" : "mse") {
        case "mse": .mse
        case "l1": .l1
        case "huber": .huber(delta: 1)
        default: .crossEntropy(labelSmoothing: t.labelSmoothing)
        }
    }

    static func optimizer(_ o: OptimizerConfig, parameters: [Parameter]) -> any OptimizerProtocol {
        let betas = (o.betas[0], o.betas[1])
        switch o.name {
        case "adamw": return Optimizer(AdamW(lr: o.lr, betas: betas, weightDecay: o.weightDecay), parameters: parameters)
        case "sgd":
            return Optimizer(SGD(lr: o.lr, momentum: o.momentum, weightDecay: o.weightDecay, nesterov: o.nesterov),
                             parameters: parameters)
        case "rmsprop":
            return Optimizer(RMSprop(lr: o.lr, weightDecay: o.weightDecay, momentum: o.momentum), parameters: parameters)
        default: return Optimizer(Adam(lr: o.lr, betas: betas, weightDecay: o.weightDecay), parameters: parameters)
        }
    }

    static func progress(_ name: String) -> ProgressMode {
        switch name {
        case "silent": .silent
        case "lines": .lines(everySteps: 0)
        default: .automatic
        }
    }

    /// The schedule, early stopping and checkpoint callbacks the config asks for, the stop-on-signal checkpoint,
    /// then the run logger (the last three only when the run `persists` its directory).
    static func callbacks(_ config: RunConfig, runDirectory: URL, hasValidation: Bool, stepsPerEpoch: Int,
                          persists: Bool = true) -> [Callback] {
        let t = config.training
        var callbacks: [Callback] = []
        let s = t.schedule
        let epochs = t.epochs
        switch s.name {
        case "cosine": callbacks.append(.lrSchedule { ConfigSchedule(s.name, CosineAnnealingLR($0, tMax: epochs, etaMin: s.minLR)) })
        case "step": callbacks.append(.lrSchedule { ConfigSchedule(s.name, StepLR($0, stepSize: s.stepSize, gamma: s.gamma)) })
        case "exponential": callbacks.append(.lrSchedule { ConfigSchedule(s.name, ExponentialLR($0, gamma: s.gamma)) })
        case "onecycle":
            let maxLR = s.maxLR ?? t.optimizer.lr
            callbacks.append(.lrSchedule(perStep: true) {
                ConfigSchedule(s.name, OneCycleLR($0, maxLR: maxLR, totalSteps: Swift.max(epochs * stepsPerEpoch, 1),
                                                  pctStart: s.pctStart,
                                                  cycleMomentum: t.optimizer.name == "sgd" && t.optimizer.momentum > 0))
            })
        case "plateau":
            callbacks.append(.reduceLROnPlateau(monitor: s.monitor, factor: s.factor, patience: s.patience, minLR: s.minLR))
        default: break
        }
        if let e = t.earlyStopping {
            callbacks.append(.earlyStopping(monitor: e.monitor, patience: e.patience, minDelta: e.minDelta,
                                            restoreBestWeights: e.restoreBest))
        }
        guard persists else { return callbacks }
        let checkpoints = ModelCheckpoint(directory: runDirectory, everyEpochs: t.checkpoint.everyEpochs,
                                          everySteps: t.checkpoint.everySteps,
                                          monitor: hasValidation ? "val_loss" : nil, keep: t.checkpoint.keep)
        callbacks.append(checkpoints)
        // A SIGINT/SIGTERM stops the run with a checkpoint in the same store (RunInterruption).
        callbacks.append(InterruptionCheckpoint(store: checkpoints.store, runDirectory: runDirectory))
        callbacks.append(RunLogger(directory: runDirectory))
        return callbacks
    }
}
