#!/usr/bin/env python3
"""Records Stable-Baselines3's VecNormalize on a deterministic environment, for TrainKit's VectorNormalize tests.

The environment is "Wave" (scripts/wave_env.py; SB3's buffers hold the rewards as float32). SB3's DummyVecEnv
resets an ended environment in the same step, so TrainKit's side runs with `sameStep` autoreset.

Usage: pip install stable-baselines3 gymnasium; python3 scripts/sb3-vecnormalize.py [output.json]
"""
import os
import sys

import numpy as np
from stable_baselines3.common.vec_env import DummyVecEnv, VecNormalize
import stable_baselines3

from wave_env import Wave, flat, write_record

OUT = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "Tests", "Fixtures",
                                                         "gymnasium", "vecnormalize.json")
ENVS, STEPS = 4, 30


def main():
    venv = VecNormalize(DummyVecEnv([lambda i=i: Wave(i) for i in range(ENVS)]), gamma=0.99)
    record = {"format": 1, "stable_baselines3": stable_baselines3.__version__, "envs": ENVS,
              "reset": flat(venv.reset()), "steps": []}
    for _ in range(STEPS):
        obs, rewards, dones, infos = venv.step(np.zeros(ENVS, dtype=np.int64))
        record["steps"].append({"observations": flat(obs),
                                "rewards": [float(x) for x in rewards], "dones": [bool(d) for d in dones],
                                "final": {str(i): [float(x) for x in info["terminal_observation"]]
                                          for i, info in enumerate(infos) if "terminal_observation" in info}})
    record["obs_mean"] = [float(x) for x in venv.obs_rms.mean]
    record["obs_var"] = [float(x) for x in venv.obs_rms.var]
    record["ret_var"] = float(venv.ret_rms.var)
    write_record(OUT, record, f"{STEPS} steps of {ENVS} environments")


if __name__ == "__main__":
    main()
