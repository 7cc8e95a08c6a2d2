#!/usr/bin/env python3
"""Records Gymnasium's SyncVectorEnv with RecordEpisodeStatistics in each autoreset mode, for TrainKit's
VectorEnvironment tests.

The environment is "Wave" (as in scripts/sb3-vecnormalize.py and Tests/TrainKitRLTests/WrapperTests.swift) under
TimeLimit(4): sub-environment i terminates after 3 + i steps, so environment 0 terminates, 1 terminates and is
truncated in the same step, and 2 and 3 are truncated. Rewards are float32 values. For the disabled mode the ended
environments are reset with `options={"reset_mask": ...}` after every step.

Usage: pip install gymnasium; python3 scripts/gymnasium-vector.py [output.json]
"""
import json
import math
import os
import sys

import gymnasium as gym
import numpy as np
from gymnasium.vector import AutoresetMode, SyncVectorEnv
from gymnasium.wrappers import TimeLimit
from gymnasium.wrappers.vector import RecordEpisodeStatistics

OUT = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "Tests", "Fixtures",
                                                         "gymnasium", "vector.json")
ENVS, STEPS, LIMIT = 4, 14, 4


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
        reward = float(np.float32(3 * math.cos(0.7 * self.t + self.index) + self.index))
        return self.obs(), reward, self.t >= 3 + self.index, False, {}


def flat(a):
    return [float(x) for x in np.asarray(a).reshape(-1)]


def run(mode):
    venv = RecordEpisodeStatistics(SyncVectorEnv([lambda i=i: TimeLimit(Wave(i), LIMIT) for i in range(ENVS)],
                                                 autoreset_mode=mode))
    obs, _ = venv.reset(seed=0)
    out = {"reset": flat(obs), "steps": []}
    for _ in range(STEPS):
        obs, rewards, terminated, truncated, info = venv.step(np.zeros(ENVS, dtype=np.int64))
        step = {"observations": flat(obs), "rewards": flat(rewards), "terminated": [bool(x) for x in terminated],
                "truncated": [bool(x) for x in truncated], "final": {}, "episodes": {}}
        if "final_obs" in info:
            step["final"] = {str(i): flat(info["final_obs"][i]) for i in range(ENVS) if info["_final_obs"][i]}
        if "episode" in info:
            step["episodes"] = {str(i): [float(info["episode"]["r"][i]), int(info["episode"]["l"][i])]
                                for i in range(ENVS) if info["_episode"][i]}
        done = np.logical_or(terminated, truncated)
        if mode == AutoresetMode.DISABLED and done.any():
            obs, _ = venv.reset(options={"reset_mask": done})
            step["after_reset"] = flat(obs)
        out["steps"].append(step)
    return out


def main():
    record = {"format": 1, "gymnasium": gym.__version__, "envs": ENVS, "limit": LIMIT,
              "modes": {"nextStep": run(AutoresetMode.NEXT_STEP), "sameStep": run(AutoresetMode.SAME_STEP),
                        "disabled": run(AutoresetMode.DISABLED)}}
    with open(OUT, "w") as f:
        json.dump(record, f, separators=(",", ":"))
        f.write("\n")
    print(f"{OUT}: {STEPS} steps of {ENVS} environments in 3 autoreset modes")


if __name__ == "__main__":
    main()
