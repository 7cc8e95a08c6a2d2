#!/usr/bin/env python3
"""Records Stable-Baselines3's VecNormalize on a deterministic environment, for TrainKit's VectorNormalize tests.

The environment ("Wave", defined identically in Tests/TrainKitRLTests/WrapperTests.swift): environment i of the
vector ends its episodes after 3 + i steps; at step t of an episode (t = 0 at reset) the observation is
[sin(0.3 t + i), 0.5 t + i, (t mod 4) - 1.5] (float32) and the reward of the step reaching t is 3 cos(0.7 t + i) + i
(float32, as SB3's buffers). SB3's DummyVecEnv resets an ended environment in the same step, so TrainKit's side
runs with `sameStep` autoreset.

Usage: pip install stable-baselines3 gymnasium; python3 scripts/sb3-vecnormalize.py [output.json]
"""
import json
import math
import os
import sys

import gymnasium as gym
import numpy as np
from stable_baselines3.common.vec_env import DummyVecEnv, VecNormalize
import stable_baselines3

OUT = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "Tests", "Fixtures",
                                                         "gymnasium", "vecnormalize.json")
ENVS, STEPS = 4, 30


class Wave(gym.Env):
    def __init__(self, index):
        self.index = index
        self.observation_space = gym.spaces.Box(-np.inf, np.inf, shape=(3,), dtype=np.float32)
        self.action_space = gym.spaces.Discrete(2)
        self.t = 0

    def obs(self):
        t, i = self.t, self.index
        return np.array([math.sin(0.3 * t + i), 0.5 * t + i, (t % 4) - 1.5], dtype=np.float32)

    def reset(self, *, seed=None, options=None):
        super().reset(seed=seed)
        self.t = 0
        return self.obs(), {}

    def step(self, action):
        self.t += 1
        reward = 3 * math.cos(0.7 * self.t + self.index) + self.index
        return self.obs(), reward, self.t >= 3 + self.index, False, {}


def main():
    venv = VecNormalize(DummyVecEnv([lambda i=i: Wave(i) for i in range(ENVS)]), gamma=0.99)
    record = {"format": 1, "stable_baselines3": stable_baselines3.__version__, "envs": ENVS,
              "reset": [float(x) for x in venv.reset().reshape(-1)], "steps": []}
    for _ in range(STEPS):
        obs, rewards, dones, infos = venv.step(np.zeros(ENVS, dtype=np.int64))
        record["steps"].append({"observations": [float(x) for x in obs.reshape(-1)],
                                "rewards": [float(x) for x in rewards], "dones": [bool(d) for d in dones],
                                "final": {str(i): [float(x) for x in info["terminal_observation"]]
                                          for i, info in enumerate(infos) if "terminal_observation" in info}})
    record["obs_mean"] = [float(x) for x in venv.obs_rms.mean]
    record["obs_var"] = [float(x) for x in venv.obs_rms.var]
    record["ret_var"] = float(venv.ret_rms.var)
    with open(OUT, "w") as f:
        json.dump(record, f, separators=(",", ":"))
        f.write("\n")
    print(f"{OUT}: {STEPS} steps of {ENVS} environments")


if __name__ == "__main__":
    main()
