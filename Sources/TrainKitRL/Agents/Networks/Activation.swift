import TrainKitNN

/// The hidden layers' nonlinearity (SB3's `activation_fn`: `nn.Tanh` for PPO/A2C, `nn.ReLU` for DQN).
public enum Activation: String, Sendable, Equatable, CaseIterable {
    case tanh, relu

    func layer() -> any Layer {
        switch self {
        case .tanh: return Tanh()
        case .relu: return ReLU()
        }
    }
}
