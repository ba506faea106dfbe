"""Figures for the report pages, drawn with matplotlib (Agg) as SVG text with fixed metadata and
hash salt, so two runs write the same bytes. They draw the mathematics of a claim, not its record;
the page renderer only embeds them under the claim they belong to.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
from pathlib import Path
from typing import Any

import numpy as np

FOLDER = "figures"
CACHE = Path(__file__).resolve().parents[2] / ".claims-cache"


def draw() -> list[dict[str, str]]:
    """Every figure as {claim, path, alt, caption, data}; data is the SVG text.

    Drawing takes about a second (matplotlib) and the figures depend only on this module and the
    library versions, so they are kept in .claims-cache/ under a key of those and drawn once.
    """
    cache = CACHE / f"figures-{_key()}.json"
    try:
        return json.loads(cache.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        pass
    figures = [_convergence(), _symmetry(), _broken_step()]
    try:
        CACHE.mkdir(exist_ok=True)
        staged = cache.with_suffix(f".{os.getpid()}.tmp")
        staged.write_text(json.dumps(figures), encoding="utf-8")
        os.replace(staged, cache)  # whole or not at all, also when two runs draw at once
        for old in CACHE.glob("figures-*.json"):
            if old != cache:
                old.unlink(missing_ok=True)
    except OSError:
        pass  # a read-only checkout draws every time
    return figures


def _key() -> str:
    from importlib.metadata import version  # not matplotlib itself: importing it is half the cost

    text = Path(__file__).read_bytes() + f"{version('matplotlib')} {np.__version__}".encode()
    return hashlib.sha256(text).hexdigest()[:16]


def _svg(fig: Any) -> str:
    import matplotlib.pyplot as plt

    out = io.StringIO()
    fig.savefig(out, format="svg", metadata={"Date": None, "Creator": None})
    plt.close(fig)
    return out.getvalue()


def _figure() -> tuple[Any, Any]:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    plt.rcParams.update({"svg.hashsalt": "worksheet-claims", "svg.fonttype": "path", "font.size": 10})
    return plt.subplots(figsize=(7, 3.4))


def _convergence(a: float = 2.0, b: float = 0.5) -> dict[str, str]:
    """003 2.3: |1 - a eta| and |1 - b eta| against eta; the worksheet's interval and the true one."""
    fig, ax = _figure()
    eta = np.linspace(0, 1.25 * 2 / max(a, b), 601)
    ax.plot(eta, np.abs(1 - a * eta), label=f"|1 - a η|, a = {a:g}")
    ax.plot(eta, np.abs(1 - b * eta), label=f"|1 - b η|, b = {b:g}")
    ax.axhline(1, color="black", lw=0.8)
    ax.axvspan(0, min(1 / a, 1 / b), color="tab:red", alpha=0.18, label="worksheet: 0 < η < min(1/a, 1/b)")
    ax.axvspan(0, 2 / max(a, b), color="tab:green", alpha=0.12, label="true: 0 < η < 2/max(a, b)")
    ax.set(xlabel="step size η", ylabel="contraction factor", ylim=(0, 2))
    ax.legend(loc="upper left", fontsize=8)
    fig.tight_layout()
    return {"claim": "gd.convergence-requires-eta-below-min-reciprocal-curvature", "path": f"{FOLDER}/gd-convergence-region.svg",
            "alt": "contraction factors |1 - a eta| and |1 - b eta| against eta",
            "caption": (f"GD converges while both factors are below 1: for $a = {a:g}$, $b = {b:g}$ that is "
                        f"$0 < \\eta < 2/\\max(a, b) = {2 / max(a, b):g}$, twice the worksheet's bound $\\min(1/a, 1/b) = {min(1 / a, 1 / b):g}$."),
            "data": _svg(fig)}


def _symmetry(steps: int = 60, seed: int = 0, hidden: int = 33) -> dict[str, str]:
    """Constant init: the spread of the hidden units over GD steps, exact (0) and in float64."""
    rng = np.random.default_rng(seed)
    x, y = rng.normal(size=(32, 37)), rng.uniform(size=(32, 3))
    # 33 hidden units: the BLAS kernel's leftover column is rounded differently from the rest.
    w1, w2 = np.full((37, hidden), 0.1), np.full((hidden, 3), 0.1)
    spread = []
    for _ in range(steps):
        h = 1 / (1 + np.exp(-x @ w1))
        z = 1 / (1 + np.exp(-h @ w2))
        dz = (z - y) * z * (1 - z)
        dh = (dz @ w2.T) * h * (1 - h)
        w2, w1 = w2 - 0.5 * h.T @ dz, w1 - 0.5 * x.T @ dh
        spread.append(float(np.max(np.ptp(w1, axis=1))))
    fig, ax = _figure()
    t = np.arange(1, steps + 1)
    ax.plot(t, spread, marker=".", label="float64 (BLAS rounding)")
    ax.plot(t, np.zeros(steps), label="exact arithmetic: 0", color="black")
    ax.set_yscale("symlog", linthresh=1e-18)
    ax.set(xlabel="gradient-descent step", ylabel="max spread of a unit's incoming weights")
    ax.legend(loc="upper left", fontsize=8)
    fig.tight_layout()
    return {"claim": "init.ws001.hidden-units-symmetric-after-t-steps", "path": f"{FOLDER}/constant-init-symmetry.svg",
            "alt": "spread of the hidden units' weights over gradient-descent steps",
            "caption": _symmetry_caption(max(spread), steps, hidden),
            "data": _svg(fig)}


def _symmetry_caption(worst: float, steps: int, hidden: int) -> str:
    said = (f"in float64 the largest spread after {steps} steps is {worst:.3g}, BLAS rounding only" if worst else
            f"float64 keeps them identical too for all {steps} steps (every unit's column meets the same roundings)")
    return f"From constant weights the hidden units stay identical in exact arithmetic; {said} (37 inputs, {hidden} hidden units, 3 outputs)."


def _broken_step() -> dict[str, str]:
    """002, sigma/tanh chain: line 9 against line 8 over x, the first broken step."""
    x = np.linspace(-6, 6, 481)
    line8 = np.tanh(x / 2) + (1 / (1 + np.exp(x)) - 1) + 1
    line9 = np.tanh(x / 2) + (1 - np.exp(x)) / (1 + np.exp(x)) + 1
    fig, ax = _figure()
    ax.plot(x, line8, label="line 8: tanh(x/2) + (1/(1+e^x) - 1) + 1 = σ(x)")
    ax.plot(x, line9, label="line 9: tanh(x/2) + (1-e^x)/(1+e^x) + 1", ls="--")
    ax.set(xlabel="x", ylabel="value")
    ax.legend(loc="upper left", fontsize=8)
    fig.tight_layout()
    return {"claim": "sigmoid-tanh.chain-from-sigma-to-tanh-minus-sigma", "path": f"{FOLDER}/sigmoid-tanh-line-9.svg",
            "alt": "line 8 and line 9 of the sigma/tanh chain against x",
            "caption": "The first broken step: line 9 rewrites $\\frac{1}{1+e^x} - 1$ as $\\frac{1-e^x}{1+e^x}$ (it is $\\frac{-e^x}{1+e^x}$); so line 9 is line 8 plus $\\frac{1}{1+e^x}$ at every x.",
            "data": _svg(fig)}
