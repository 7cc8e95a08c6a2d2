#!/usr/bin/env python3
"""Records Gymnasium's SyncVectorEnv with RecordEpisodeStatistics in each autoreset mode, for TrainKit's
VectorEnvironment tests.

The environment is "Wave" (scripts/wave_env.py, float32 rewards) under
TimeLimit(4): sub-environment i terminates after 3 + i steps, so environment 0 terminates, 1 terminates and is
truncated in the same step, and 2 and 3 are truncated. Rewards are float32 values. For the disabled mode the ended
environments are reset with `options={"reset_mask": ...}` after every step.

Usage: pip install gymnasium; python3 scripts/gymnasium-vector.py [output.json]
"""
import os
import sys

import gymnasium as gym
import numpy as np
from gymnasium.vector import AutoresetMode, SyncVectorEnv
from gymnasium.wrappers import TimeLimit
from gymnasium.wrappers.vector import RecordEpisodeStatistics

from wave_env import Wave, flat, write_record

OUT = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "Tests", "Fixtures",
                                                         "gymnasium", "vector.json")
ENVS, STEPS, LIMIT = 4, 14, 4


def run(mode):
    venv = RecordEpisodeStatistics(SyncVectorEnv([lambda i=i: TimeLimit(Wave(i, float32_reward=True), LIMIT) for i in range(ENVS)],
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
    write_record(OUT, record, f"{STEPS} steps of {ENVS} environments in 3 autoreset modes")


if __name__ == "__main__":
    main()
