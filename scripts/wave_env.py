"""The deterministic "Wave" environment that scripts/gymnasium-vector.py and scripts/sb3-vecnormalize.py record,
defined identically in Tests/TrainKitRLTests/WrapperTests.swift, and the JSON writer both scripts use.

Environment i ends its episodes after 3 + i steps; at step t of an episode (t = 0 at reset) the observation is
[sin(0.3 t + i), 0.5 t + i, (t mod 4) - 1.5] (float32) and the reward of the step reaching t is 3 cos(0.7 t + i) + i.
"""
import json
import math

import gymnasium as gym
import numpy as np


class Wave(gym.Env):
    def __init__(self, index, float32_reward=False):
        self.index = index
        self.float32_reward = float32_reward
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
        if self.float32_reward:
            reward = float(np.float32(reward))
        return self.obs(), reward, self.t >= 3 + self.index, False, {}


def flat(a):
    """An array's values as a flat list of Python floats."""
    return [float(x) for x in np.asarray(a).reshape(-1)]


def write_record(path, record, summary):
    """Writes `record` as compact JSON with a final newline and prints `path: summary`."""
    with open(path, "w") as f:
        json.dump(record, f, separators=(",", ":"))
        f.write("\n")
    print(f"{path}: {summary}")
