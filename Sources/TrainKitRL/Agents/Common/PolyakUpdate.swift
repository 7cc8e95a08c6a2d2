import TrainKitCore

/// `θ′ ← τ θ + (1 − τ) θ′` for each pair (SB3's `polyak_update`), off the tape; τ = 1 copies.
func polyakUpdate(from online: [Parameter], to target: [Parameter], tau: Double) {
    noGrad {
        for (t, o) in zip(target, online) {
            t.value = tau == 1 ? o.detachedValue : o.detachedValue * tau + t.detachedValue * (1 - tau)
        }
    }
}
