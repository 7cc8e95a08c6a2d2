#!/usr/bin/env python3
"""Records Gymnasium trajectories as JSON fixtures for TrainKit's environment tests.

For each environment: several episodes, each with the seed, the internal state right after `reset(seed=...)`
(`env.unwrapped.state`, float64), the initial observation, and every step's action, state, observation, reward,
terminated and truncated. Actions come from a seeded mix of a simple heuristic (so episodes reach their
terminal states) and random actions. One episode per environment runs under a short `max_episode_steps` so
truncation is recorded without hundreds of steps. For FrozenLake the map and the transition table `P` are
recorded too (slippery and not).

Usage: pip install gymnasium numpy; python3 scripts/gymnasium-trajectories.py [output-dir]
(default Tests/Fixtures/gymnasium). Each file is rewritten; the output is deterministic.
"""
import json
import os
import sys

import gymnasium as gym
import numpy as np

OUT = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "Tests", "Fixtures", "gymnasium")


def floats(values):
    return [float(v) for v in np.asarray(values, dtype=np.float64).reshape(-1)]


def cartpole_policy(obs, rng):
    return int(obs[2] + 0.5 * obs[3] > 0)


def acrobot_policy(obs, rng):
    # Pump energy: torque in the direction the second link turns.
    return 2 if obs[5] > 0 else 0


def mountain_car_policy(obs, rng):
    return 2 if obs[1] >= 0 else 0


def mountain_car_continuous_policy(obs, rng):
    return np.array([1.0 if obs[1] >= 0 else -1.0], dtype=np.float32) * np.float32(rng.uniform(0.6, 1.2))


def pendulum_policy(obs, rng):
    return np.array([rng.uniform(-2.5, 2.5)], dtype=np.float32)  # outside [-2, 2] sometimes: the env clips


def frozen_lake_policy(obs, rng):
    return int(rng.integers(0, 4))


ENVS = {
    # id: (policy, epsilon for a random action, kwargs, [(seed, max_episode_steps or None)], max steps per episode)
    # CartPole: the heuristic balances (the first episode stops at the cap); epsilon 0.5 lets the pole fall.
    "CartPole-v1": (cartpole_policy, 0.5, {}, [(1, None), (2, None), (3, None), (4, None), (5, 12)], 120),
    "Acrobot-v1": (acrobot_policy, 0.1, {}, [(1, None), (2, None), (3, 30)], 150),
    "MountainCar-v0": (mountain_car_policy, 0.1, {}, [(1, None), (2, None), (3, 25)], 200),
    "MountainCarContinuous-v0": (mountain_car_continuous_policy, 0.0, {}, [(1, None), (2, None), (3, 25)], 200),
    "Pendulum-v1": (pendulum_policy, 0.0, {}, [(1, 60), (2, 60), (3, 40)], 100),
    # FrozenLake: random walks fall into holes; the last episode follows a path to the goal.
    "FrozenLake-v1": (frozen_lake_policy, 0.0, {"is_slippery": False},
                      [(s, None) for s in range(1, 9)] + [(9, 5), (10, None, [1, 1, 2, 2, 1, 2])], 100),
    "FrozenLake8x8-v1": (frozen_lake_policy, 0.0, {"is_slippery": False},
                         [(s, None) for s in range(1, 7)] + [(7, 6), (8, None, [2] * 7 + [1] * 7)], 200),
}


def state_of(env):
    u = env.unwrapped
    if hasattr(u, "s"):  # FrozenLake
        return [float(int(u.s))]
    return floats(u.state)


def action_json(action):
    if isinstance(action, np.ndarray):
        return {"continuous": floats(action)}
    return {"discrete": int(action)}


def record(env_id, policy, epsilon, kwargs, episodes, cap):
    rng = np.random.default_rng(12345)
    out = []
    for seed, limit, *script in episodes:
        extra = {"max_episode_steps": limit} if limit else {}
        env = gym.make(env_id, **kwargs, **extra)
        obs, _ = env.reset(seed=seed)
        episode = {"seed": seed, "max_episode_steps": env.spec.max_episode_steps, "state": state_of(env),
                   "observation": floats(obs), "steps": []}
        env.action_space.seed(seed)
        for t in range(cap):
            if script:
                action = script[0][t]
            else:
                action = env.action_space.sample() if rng.uniform() < epsilon else policy(obs, rng)
            obs, reward, terminated, truncated, _ = env.step(action)
            episode["steps"].append({"action": action_json(action), "state": state_of(env), "observation": floats(obs),
                                     "reward": float(reward), "terminated": bool(terminated),
                                     "truncated": bool(truncated)})
            if terminated or truncated:
                break
        out.append(episode)
        env.close()
    return out


def frozen_lake_tables(env_id):
    tables = {}
    for slippery in (True, False):
        env = gym.make(env_id, is_slippery=slippery)
        u = env.unwrapped
        P = {str(s): {str(a): [[float(p), int(s2), float(r), bool(d)] for p, s2, r, d in u.P[s][a]]
                      for a in range(u.action_space.n)} for s in range(u.observation_space.n)}
        tables["slippery" if slippery else "deterministic"] = {"P": P}
        tables["map"] = ["".join(c.decode() for c in row) for row in u.desc]
        env.close()
    return tables


def main():
    os.makedirs(OUT, exist_ok=True)
    only = set(os.environ.get("ONLY", "").split(",")) - {""}
    for env_id, (policy, epsilon, kwargs, episodes, cap) in ENVS.items():
        if only and env_id not in only:
            continue
        spec = gym.spec(env_id)
        data = {"format": 1, "gymnasium": gym.__version__, "numpy": np.__version__, "id": env_id, "kwargs": kwargs,
                "max_episode_steps": spec.max_episode_steps, "reward_threshold": spec.reward_threshold,
                "episodes": record(env_id, policy, epsilon, kwargs, episodes, cap)}
        if env_id.startswith("FrozenLake"):
            data.update(frozen_lake_tables(env_id))
        path = os.path.join(OUT, f"{env_id}.json")
        with open(path, "w") as f:
            json.dump(data, f, separators=(",", ":"))
            f.write("\n")
        steps = sum(len(e["steps"]) for e in data["episodes"])
        ends = [("T" if e["steps"][-1]["terminated"] else "") + ("t" if e["steps"][-1]["truncated"] else "")
                for e in data["episodes"]]
        print(f"{env_id}: {len(data['episodes'])} episodes, {steps} steps, ends {ends}, {os.path.getsize(path)} bytes")


if __name__ == "__main__":
    main()
