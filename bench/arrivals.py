"""When delegates reach the entrance: the arrival profile of `bench.checkin_burst --mode arrival`.

1,000 delegates over 15 minutes, most in two waves (the buses), with a trickle between and
around them: a rate of 0.4/s outside the waves rising to 5/s at their peaks (Gaussian waves,
σ = 28 s, at minutes 5 and 11). Arrivals are a Poisson process of that rate, so a second at a
peak may see more than 5. The seed makes every run replay the same arrivals.

Compressed time: the bot's latency depends on how many updates arrive together, not on how long
the quiet stretches last, so every gap longer than `idle_gap` (default 0.2 s, ten times the
slowest reply we aim for: the bot is idle by then) is cut to `idle_gap`. Bursts play at their
real rate; the 15 minutes take about 3½. The service clock is the real one: the session starts
10 minutes after the world is built, inside its check-in window throughout.
"""

from __future__ import annotations

import math
import random

PEAK_RATE = 5.0
BASE_RATE = 0.4
WAVES_AT = (300.0, 660.0)
WAVE_SIGMA = 28.0


def rate_at(t: float) -> float:
    """Arrivals per second `t` seconds into the quarter hour (before scaling to the count)."""
    waves = sum(
        math.exp(-((t - at) ** 2) / (2 * WAVE_SIGMA**2)) for at in WAVES_AT
    )  # at most ~1 at a peak: the waves are far apart
    return BASE_RATE + (PEAK_RATE - BASE_RATE) * waves


def arrival_times(count: int, minutes: float = 15.0, seed: int = 82) -> list[float]:
    """`count` arrival moments (seconds from the start, ascending), by thinning a Poisson
    process of the peak rate; scaled so that the profile holds `count` arrivals."""
    span = minutes * 60
    scale = span / 900.0
    expected = sum(rate_at(t / scale) for t in range(int(span))) or 1.0
    factor = count / expected
    rng = random.Random(seed)
    peak = PEAK_RATE * factor
    out: list[float] = []
    t = 0.0
    while len(out) < count:
        t += rng.expovariate(peak)
        if t > span:  # the profile ran out early (randomness): start the next quarter hour
            t -= span
        if rng.random() <= rate_at((t % span) / scale) * factor / peak:
            out.append(t)
    return sorted(out)


def compressed(times: list[float], idle_gap: float = 0.2) -> list[float]:
    """The same arrivals with every gap longer than `idle_gap` cut to `idle_gap`."""
    out: list[float] = []
    last_real = last = 0.0
    for t in times:
        gap = t - last_real
        last += min(gap, idle_gap)
        last_real = t
        out.append(last)
    return out


def peak_per_second(times: list[float]) -> int:
    """The most arrivals within any one second of the uncompressed schedule."""
    best, start = 0, 0
    for end, t in enumerate(times):
        while times[start] < t - 1.0:
            start += 1
        best = max(best, end - start + 1)
    return best
