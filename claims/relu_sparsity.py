"""ReLU sparsity: which weight derivatives vanish when h1 receives -1 (002 Problem 3).

The worksheet's figure is missing; the network is reconstructed from the text in ``models.relu_net``:
inputs x1, x2; z1 = w1 x1 + u1 x2, h1 = ReLU(z1); z2 = u2 x1 + u3 x2, h2 = ReLU(z2);
z3 = w2 h1 + w6 h2, h3 = ReLU(z3); z4 = w4 h1 + u4 h2, h4 = ReLU(z4); z = w3 h3 + w5 h4, y = ReLU(z).
w1..w6 are the worksheet's names (w5, w6 its "two additional connections"; w4, for h1 -> h4, is
never named in the text and is taken to be the figure's fourth label); u1..u4 stand for
connections it never names, drawn freely (any of them may be absent, i.e. 0). "For every loss of y"
is encoded by drawing g = dL/dy freely; ReLU'(0) is taken as 0. Partial derivatives of affine
expressions are checked as exact difference quotients f(a + 1) - f(a).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import numpy as np

from claims.engine import (
    Erratum,
    Mutant,
    Step,
    derivation,
    differ,
    equal,
    exact,
    exists,
    forall,
    is_true,
    le,
    not_checkable,
    st,
)
from claims.worksheets import WS002
from models import relu_net

NAMES = relu_net.Weights.names()
RECONSTRUCTION = (
    "Network (reconstructed, figure missing): z1 = w1 x1 + u1 x2, z2 = u2 x1 + u3 x2, z3 = w2 h1 + w6 h2, "
    "z4 = w4 h1 + u4 h2, z = w3 h3 + w5 h4, every h and y = ReLU of its z; w4 (h1 -> h4) is named by us; "
    "u1..u4 are unnamed connections, drawn freely; g = dL/dy drawn freely (any loss of y); ReLU'(0) = 0."
)
H1_OFF = " Premise: z1 = -1 exactly (w1 = (-1 - u1 x2)/x1 with x1 a power of two and u1, x2 dyadic)."

# ---------------------------------------------------------------- instances


def _draw(rng: np.random.Generator, n: int, names: tuple[str, ...]) -> dict[str, np.ndarray]:
    return {name: rng.normal(size=n) for name in names}


def general(case: Any, rng: np.random.Generator, n: int) -> dict[str, np.ndarray]:
    """Any training case (z1 of either sign): every weight, both inputs and g = dL/dy, all N(0, 1)."""
    return _draw(rng, n, (*NAMES, "x1", "x2", "g"))


def with_h5(case: Any, rng: np.random.Generator, n: int) -> dict[str, np.ndarray]:
    """A training case plus a value for the worksheet's symbol h5, which names no unit of the network."""
    return _draw(rng, n, (*NAMES, "x1", "x2", "g", "h5"))


def h1_off(case: Any, rng: np.random.Generator, n: int) -> dict[str, np.ndarray]:
    """Cases where z1 = -1 can be set exactly (w1 is solved in the check): x1 = +-2^k, u1 and x2 multiples of 1/4."""
    out = _draw(rng, n, (*(name for name in NAMES if name != "w1"), "g", "t"))
    out["x1"] = rng.choice([-1.0, 1.0], n) * 2.0 ** rng.integers(-2, 3, n)
    out["u1"] = rng.integers(-8, 9, n) / 4
    out["x2"] = rng.integers(-8, 9, n) / 4
    return out


CASES = st.fixed_dictionaries({})


def model(
    v: Any, ops: Any, z1: Any = None, **weights: Any
) -> tuple[relu_net.Weights, relu_net.Forward, relu_net.Grads]:
    """Weights (w1 solved so that h1 receives z1, if given; named weights overridden), forward, backward."""
    if z1 is not None:  # exact: dyadic numerator, power-of-two x1
        v = v.with_values({**v, "w1": (z1 - v.u1 * v.x2) / v.x1})
    p = relu_net.Weights(*(getattr(v, name) for name in NAMES))
    p = replace(p, **{k: val + 0 * v.g for k, val in weights.items()})
    return p, relu_net.forward(p, v.x1, v.x2, ops), relu_net.backward(p, v.x1, v.x2, v.g, ops)


# ---------------------------------------------------------------- the three answers


@exists(
    id="relu.dl-dw3-not-guaranteed-zero",
    worksheet=WS002,
    location="Problem 3(a)",
    quote=r"\therefore \frac{\partial \lambda}{\partial w_3}$ is not guaranteed to be zero",
    statement=(
        "NO for $w_3$: with $z_1 = -1$, $\\frac{\\partial L}{\\partial w_3} = \\frac{\\partial L}{\\partial y}"
        "\\frac{\\partial y}{\\partial z}\\frac{\\partial z}{\\partial w_3}$ and none of the three factors "
        "($\\frac{\\partial z}{\\partial w_3} = h_3$) need be 0, so $\\frac{\\partial L}{\\partial w_3}$ is not "
        "guaranteed to be 0."
    ),
    formalisation=RECONSTRUCTION
    + H1_OFF
    + (
        " Exists a training case with z1 = -1 and L = 1/2 (y - t)^2 where dL/dy = y - t, dy/dz = ReLU'(z), "
        "dz/dw3 = h3 and dL/dw3 are all non-zero."
    ),
    expected="witnessed",
    cases=CASES,
    instances=h1_off,
    mutant=Mutant("h3 fed by h1 alone (w6 = 0)", w6=0.0),
)
def dw3_can_be_nonzero(v: Any, ops: Any, **weights: Any) -> Any:
    p, f, _ = model(v, ops, -1.0, **weights)
    dl_dy = f.y - v.t  # L = 1/2 (y - t)^2
    gr = relu_net.backward(p, v.x1, v.x2, dl_dy, ops)
    return {
        "dL/dw3 != 0": differ(gr.w.w3, 0.0, show={"w1": p.w1, "z1": f.z1, "h3": f.h3, "y": f.y, "t": v.t}),
        "dL/dy = y - t != 0": differ(dl_dy, 0.0),
        "dy/dz != 0": differ(ops.relu_prime(f.z), 0.0),
        "dz/dw3 = h3 != 0": differ(f.h3, 0.0),
        "premise z1 = -1": equal(f.z1, -1.0),
    }


@forall(
    id="relu.dl-dw2-guaranteed-zero",
    worksheet=WS002,
    location="Problem 3(b)",
    quote=r"The product $\frac{\partial \lambda}{\partial w_2} = 0$ is guaranteed to be zero",
    statement=(
        "YES for $w_2$: when $h_1$ receives $-1$, $\\frac{\\partial L}{\\partial w_2} = 0$ for this training case."
    ),
    formalisation=RECONSTRUCTION + H1_OFF + " For all other weights, inputs and dL/dy: dL/dw2 == 0.",
    fact="relu-dead-unit-outgoing-weight-gradient-zero",
    expected="holds",
    cases=CASES,
    instances=h1_off,
    mutant=Mutant("h1 active instead (z1 = +1)", z1=1.0),
)
def dw2_zero(v: Any, ops: Any, z1: float = -1.0) -> Any:
    _, f, gr = model(v, ops, z1)
    return equal(gr.w.w2, 0.0, show={"z1": f.z1, "h1": f.h1})


@forall(
    id="relu.dl-dw1-guaranteed-zero",
    worksheet=WS002,
    location="Problem 3(c)",
    quote=r"$\therefore \frac{\partial L}{\partial w_1}$ is guaranteed to be 0",
    statement=(
        "YES for $w_1$: when $h_1$ receives $-1$, $\\frac{\\partial L}{\\partial w_1} = 0$ for this training case."
    ),
    formalisation=RECONSTRUCTION + H1_OFF + " For all other weights, inputs and dL/dy: dL/dw1 == 0.",
    fact="relu-dead-unit-incoming-weight-gradient-zero",
    expected="holds",
    cases=CASES,
    instances=h1_off,
    mutant=Mutant("h1 active instead (z1 = +1)", z1=1.0),
)
def dw1_zero(v: Any, ops: Any, z1: float = -1.0) -> Any:
    _, f, gr = model(v, ops, z1)
    return equal(gr.w.w1, 0.0, show={"z1": f.z1, "dL/dz1": gr.z1})


# ---------------------------------------------------------------- (a) dL/dw3


@forall(
    id="relu.dl-dw3-is-three-factor-chain",
    worksheet=WS002,
    location="Problem 3(a)",
    quote=r"(a) \frac{\partial \mathcal{L}}{\partial w_3} = \underbrace{\frac{\partial \mathcal{L}}{\partial y}}_{\textcircled{1}}",
    statement=(
        "$\\frac{\\partial L}{\\partial w_3} = \\frac{\\partial L}{\\partial y} \\times \\frac{\\partial y}{\\partial "
        "z} \\times \\frac{\\partial z}{\\partial w_3}$."
    ),
    formalisation=RECONSTRUCTION + " For every training case: dL/dw3 (backprop) == g * ReLU'(z) * h3.",
    expected="holds",
    cases=CASES,
    instances=general,
    mutant=Mutant("dz/dw3 taken as h4", unit="h4"),
)
def dw3_chain(v: Any, ops: Any, unit: str = "h3") -> Any:
    _, f, gr = model(v, ops)
    return equal(gr.w.w3, v.g * ops.relu_prime(f.z) * getattr(f, unit))


@forall(
    id="relu.dz-dw3-is-h3",
    worksheet=WS002,
    location="Problem 3(a)",
    quote=r"\frac{\partial}{\partial w_3} (w_3 h_3 + w_5 h_4) = h_3",
    statement="$\\frac{\\partial z}{\\partial w_3} = \\frac{\\partial}{\\partial w_3}(w_3 h_3 + w_5 h_4) = h_3$.",
    formalisation=RECONSTRUCTION
    + " For every case: z == w3 h3 + w5 h4, and z(w3 + 1) - z(w3) == h3 (z is affine in w3).",
    expected="holds",
    cases=CASES,
    instances=general,
    mutant=Mutant("the derivative taken as h4", unit="h4"),
)
def dz_dw3(v: Any, ops: Any, unit: str = "h3") -> Any:
    p, f, _ = model(v, ops)
    moved = relu_net.forward(replace(p, w3=p.w3 + 1), v.x1, v.x2, ops)
    return {
        "z = w3 h3 + w5 h4": equal(f.z, p.w3 * f.h3 + p.w5 * f.h4),
        "dz/dw3 = h3": equal(moved.z - f.z, getattr(f, unit)),
    }


# ---------------------------------------------------------------- (b) dL/dw2


@forall(
    id="relu.dl-dw2-is-four-factor-chain",
    worksheet=WS002,
    location="Problem 3(b)",
    quote=r"(b) $\frac{\partial \lambda}{\partial w_2} = \frac{\partial \lambda}{\partial z} \times \frac{\partial z}{\partial h_3}",
    statement=(
        "$\\frac{\\partial L}{\\partial w_2} = \\frac{\\partial L}{\\partial z}\\frac{\\partial z}{\\partial h_3}"
        "\\frac{\\partial h_3}{\\partial z_3}\\frac{\\partial z_3}{\\partial w_2}$, with "
        "$\\frac{\\partial L}{\\partial z} = \\frac{\\partial L}{\\partial y}\\frac{\\partial y}{\\partial z}$."
    ),
    formalisation=RECONSTRUCTION + " For every case: dL/dz == g ReLU'(z) and dL/dw2 == dL/dz * w3 * ReLU'(z3) * h1.",
    expected="holds",
    cases=CASES,
    instances=general,
    mutant=Mutant("dz3/dw2 taken as h2", unit="h2"),
)
def dw2_chain(v: Any, ops: Any, unit: str = "h1") -> Any:
    p, f, gr = model(v, ops)
    dl_dz = v.g * ops.relu_prime(f.z)
    return {
        "dL/dz = dL/dy dy/dz": equal(gr.z, dl_dz),
        "dL/dw2 = dL/dz dz/dh3 dh3/dz3 dz3/dw2": equal(gr.w.w2, dl_dz * p.w3 * ops.relu_prime(f.z3) * getattr(f, unit)),
    }


@forall(
    id="relu.dz-dh3-is-w3",
    worksheet=WS002,
    location="Problem 3(b)",
    quote=r"\frac{\partial}{\partial h_3} (w_3 h_3 + w_5 h_4) = w_3",
    statement="$\\frac{\\partial z}{\\partial h_3} = \\frac{\\partial}{\\partial h_3}(w_3 h_3 + w_5 h_4) = w_3$.",
    formalisation=RECONSTRUCTION
    + " For every case: z == w3 h3 + w5 h4, and (w3 (h3+1) + w5 h4) - (w3 h3 + w5 h4) == w3.",
    expected="holds",
    cases=CASES,
    instances=general,
    mutant=Mutant("the derivative taken as w5", weight="w5"),
)
def dz_dh3(v: Any, ops: Any, weight: str = "w3") -> Any:
    p, f, _ = model(v, ops)

    def z_of(h3: Any) -> Any:
        return p.w3 * h3 + p.w5 * f.h4

    return {
        "z = w3 h3 + w5 h4": equal(f.z, z_of(f.h3)),
        "dz/dh3 = w3": equal(z_of(f.h3 + 1) - z_of(f.h3), getattr(p, weight)),
    }


@forall(
    id="relu.dz3-dw2-is-h1-which-is-zero",
    worksheet=WS002,
    location="Problem 3(b)",
    quote=r"\frac{\partial}{\partial w_2} (w_2 h_1 + w_6 h_2) = h_1 = 0$ (given)",
    statement=(
        "$\\frac{\\partial z_3}{\\partial w_2} = \\frac{\\partial}{\\partial w_2}(w_2 h_1 + w_6 h_2) = h_1 = 0$ when "
        "$h_1$ receives $-1$."
    ),
    formalisation=RECONSTRUCTION
    + H1_OFF
    + " For all such cases: z3 == w2 h1 + w6 h2, z3(w2 + 1) - z3(w2) == h1, and h1 == 0.",
    expected="holds",
    cases=CASES,
    instances=h1_off,
    mutant=Mutant("h1 active instead (z1 = +1)", z1=1.0),
)
def dz3_dw2(v: Any, ops: Any, z1: float = -1.0) -> Any:
    p, f, _ = model(v, ops, z1)
    moved = relu_net.forward(replace(p, w2=p.w2 + 1), v.x1, v.x2, ops)
    return {
        "z3 = w2 h1 + w6 h2": equal(f.z3, p.w2 * f.h1 + p.w6 * f.h2),
        "dz3/dw2 = h1": equal(moved.z3 - f.z3, f.h1),
        "h1 = 0": equal(f.h1, 0.0, show={"z1": f.z1}),
    }


@exists(
    id="relu.dl-dw2-other-factors-need-not-be-zero",
    worksheet=WS002,
    location="Problem 3(b)",
    quote=r"\frac{\partial}{\partial z_3} \max(0, z_3) \leftarrow$ need not be 0",
    statement=(
        "With $z_1 = -1$, $\\frac{\\partial L}{\\partial z}$, $\\frac{\\partial z}{\\partial h_3} = w_3$ and "
        "$\\frac{\\partial h_3}{\\partial z_3} = \\mathrm{ReLU}'(z_3)$ need not be 0."
    ),
    formalisation=RECONSTRUCTION + H1_OFF + " Exists such a case with dL/dz, w3 and ReLU'(z3) all non-zero.",
    expected="witnessed",
    cases=CASES,
    instances=h1_off,
    mutant=Mutant("h3 fed by h1 alone (w6 = 0)", w6=0.0),
)
def dw2_factors_nonzero(v: Any, ops: Any, **weights: Any) -> Any:
    p, f, gr = model(v, ops, -1.0, **weights)
    return {
        "dL/dz != 0": differ(gr.z, 0.0, show={"w1": p.w1, "z1": f.z1, "z3": f.z3}),
        "dz/dh3 = w3 != 0": differ(p.w3, 0.0),
        "dh3/dz3 != 0": differ(ops.relu_prime(f.z3), 0.0),
        "premise z1 = -1": equal(f.z1, -1.0),
    }


# ---------------------------------------------------------------- (c) dL/dw1


def _path_factors(v: Any, ops: Any) -> dict[str, Any]:
    """The factors of the two paths from w1 to L, named as in 3(c), from the forward values."""
    p, f, _ = model(v, ops)
    return {
        "dL/dz": v.g * ops.relu_prime(f.z),
        "via h3": p.w3 * ops.relu_prime(f.z3) * p.w2,  # dz/dh3 dh3/dz3 dz3/dh1
        "via h4": p.w5 * ops.relu_prime(f.z4) * p.w4,  # dz/dh4 dh4/dz4 dz4/dh1
        "C": ops.relu_prime(f.z1),  # dh1/dz1
        "D": v.x1,  # dz1/dw1
    }


def _sum_of_paths(v: Any, ops: Any) -> Any:
    k = _path_factors(v, ops)
    return k["dL/dz"] * k["via h3"] * k["C"] * k["D"] + k["dL/dz"] * k["via h4"] * k["C"] * k["D"]


def _factorised(v: Any, ops: Any, paths: tuple[str, ...] = ("via h3", "via h4")) -> Any:
    k = _path_factors(v, ops)
    return k["dL/dz"] * sum(k[name] for name in paths) * k["C"] * k["D"]


derivation(
    id="relu.dl-dw1-is-sum-over-two-paths",
    worksheet=WS002,
    location="Problem 3(c)",
    quote=r"\frac{\partial L}{\partial w_1} &= \underbrace{\frac{\partial L}{\partial z} \times \frac{\partial z}{\partial h_3}",
    statement=(
        "$\\frac{\\partial L}{\\partial w_1}$ is the sum over the paths through $h_3$ and $h_4$, "
        "$= \\frac{\\partial L}{\\partial z}\\big(\\frac{\\partial z}{\\partial h_3}\\frac{\\partial h_3}{\\partial "
        "z_3}"
        "\\frac{\\partial z_3}{\\partial h_1} + \\frac{\\partial z}{\\partial h_4}\\frac{\\partial h_4}{\\partial z_4}"
        "\\frac{\\partial z_4}{\\partial h_1}\\big)\\frac{\\partial h_1}{\\partial z_1}\\frac{\\partial "
        "z_1}{\\partial w_1}$."
    ),
    formalisation=RECONSTRUCTION
    + " For every training case (z1 of either sign) each line equals the previous one; line 0 is backprop's dL/dw1.",
    expected="holds",
    cases=CASES,
    instances=general,
    steps=[
        Step("$\\frac{\\partial L}{\\partial w_1}$", lambda v, ops: model(v, ops)[2].w.w1),
        Step(
            "$A\\,\\frac{\\partial h_1}{\\partial z_1}\\frac{\\partial z_1}{\\partial w_1} + B_1\\frac{\\partial "
            "h_1}{\\partial z_1}\\frac{\\partial z_1}{\\partial w_1}$",
            _sum_of_paths,
        ),
        Step("$\\frac{\\partial L}{\\partial z}(B_1 + B_2)\\,C\\,D$", _factorised),
    ],
    mutant=Mutant(
        "factorised line without the path through h4", step=2, value=lambda v, ops: _factorised(v, ops, ("via h3",))
    ),
)


@forall(
    id="relu.dz-dh3-written-with-h5",
    worksheet=WS002,
    location="Problem 3(c) (B1)",
    quote=r"(w_3 h_3 + w_5 h_5)",
    statement=(
        "$\\frac{\\partial z}{\\partial h_3} = \\frac{\\partial}{\\partial h_3}(w_3 h_3 + w_5 h_5) = w_3$, i.e. $z = "
        "w_3 h_3 + w_5 h_5$."
    ),
    formalisation=RECONSTRUCTION
    + " The network has no unit h5, so h5 is a free real: for all cases and all h5, z == w3 h3 + w5 h5.",
    expected="refuted",
    cases=CASES,
    instances=with_h5,
    erratum=Erratum(
        "$z = w_3 h_3 + w_5 h_4$: the network has no unit $h_5$ (the second input of $z$ is $h_4$). The derivative "
        "$\\partial z/\\partial h_3 = w_3$ is right.",
        corrected_by="relu.dz-dh3-is-w3",
        replacement=r"(w_3 h_3 + w_5 h_4)",
    ),
)
def dz_with_h5(v: Any, ops: Any) -> Any:
    p, f, _ = model(v, ops)
    return equal(f.z, p.w3 * f.h3 + p.w5 * v.h5, show={"h4": f.h4})


@forall(
    id="relu.dz3-written-as-w2-h1-plus-w3-h3",
    worksheet=WS002,
    location="Problem 3(c) (B1)",
    quote=r"(w_2 h_1 + w_3 h_3)",
    statement=(
        "$\\frac{\\partial z_3}{\\partial h_1} = \\frac{\\partial}{\\partial h_1}(w_2 h_1 + w_3 h_3) = w_2$, i.e. $z_3 "
        "= w_2 h_1 + w_3 h_3$."
    ),
    formalisation=RECONSTRUCTION + " For all cases: z3 == w2 h1 + w3 h3.",
    expected="refuted",
    cases=CASES,
    instances=general,
    erratum=Erratum(
        "$z_3 = w_2 h_1 + w_6 h_2$ (as in 3(b)); $w_3 h_3$ is an input of $z$, and $h_3 = \\mathrm{ReLU}(z_3)$ cannot "
        "feed "
        "$z_3$. The derivative $\\partial z_3/\\partial h_1 = w_2$ is right.",
        corrected_by="relu.dz3-dh1-is-w2",
        replacement=r"(w_2 h_1 + w_6 h_2)",
    ),
)
def dz3_with_h3(v: Any, ops: Any) -> Any:
    p, f, _ = model(v, ops)
    return equal(f.z3, p.w2 * f.h1 + p.w3 * f.h3)


@forall(
    id="relu.dz3-dh1-is-w2",
    worksheet=WS002,
    location="Problem 3(c) (B1)",
    quote=r"$\frac{\partial z_3}{\partial h_1} = \frac{\partial}{\partial h_1} (w_2 h_1 + w_3 h_3) = w_2$",
    statement="$\\frac{\\partial z_3}{\\partial h_1} = \\frac{\\partial}{\\partial h_1}(w_2 h_1 + w_6 h_2) = w_2$.",
    formalisation=RECONSTRUCTION
    + " For all cases: z3 == w2 h1 + w6 h2 and (w2 (h1+1) + w6 h2) - (w2 h1 + w6 h2) == w2.",
    expected="holds",
    cases=CASES,
    instances=general,
    mutant=Mutant("the derivative taken as w6", weight="w6"),
)
def dz3_dh1(v: Any, ops: Any, weight: str = "w2") -> Any:
    p, f, _ = model(v, ops)

    def z3_of(h1: Any) -> Any:
        return p.w2 * h1 + p.w6 * f.h2

    return {
        "z3 = w2 h1 + w6 h2": equal(f.z3, z3_of(f.h1)),
        "dz3/dh1 = w2": equal(z3_of(f.h1 + 1) - z3_of(f.h1), getattr(p, weight)),
    }


@exists(
    id="relu.path-factors-need-not-be-zero",
    worksheet=WS002,
    location="Problem 3(c) (A), (B1), (B2)",
    quote=r"Similarly you can check that $\frac{\partial z}{\partial h_4}$, $\frac{\partial h_4}{\partial z_4}$, $\frac{\partial z_4}{\partial h_1}$ need not be 0",
    statement=(
        "With $z_1 = -1$, $\\frac{\\partial L}{\\partial z}$ and every factor of both paths, $\\frac{\\partial "
        "z}{\\partial h_3} = w_3$, "
        "$\\frac{\\partial h_3}{\\partial z_3}$, $\\frac{\\partial z_3}{\\partial h_1} = w_2$, $\\frac{\\partial "
        "z}{\\partial h_4}$, "
        "$\\frac{\\partial h_4}{\\partial z_4}$, $\\frac{\\partial z_4}{\\partial h_1}$, need not be 0."
    ),
    formalisation=RECONSTRUCTION
    + H1_OFF
    + (
        " Exists such a case with dL/dz, w3, ReLU'(z3), w2, w5, ReLU'(z4), w4 all non-zero (this needs a second "
        "input of h4 besides h1: the unnamed u4)."
    ),
    expected="witnessed",
    cases=CASES,
    instances=h1_off,
    mutant=Mutant("h4 fed by h1 alone (u4 = 0)", u4=0.0),
)
def path_factors_nonzero(v: Any, ops: Any, **weights: Any) -> Any:
    p, f, gr = model(v, ops, -1.0, **weights)
    factors = {
        "dL/dz": gr.z,
        "w3": p.w3,
        "ReLU'(z3)": ops.relu_prime(f.z3),
        "w2": p.w2,
        "w5": p.w5,
        "ReLU'(z4)": ops.relu_prime(f.z4),
        "w4": p.w4,
    }
    shown = {"w1": p.w1, "z1": f.z1, "z3": f.z3, "z4": f.z4}
    rels = {f"{k} != 0": differ(val, 0.0, show=shown) for k, val in factors.items()}
    return {**rels, "premise z1 = -1": equal(f.z1, -1.0)}


def _offsets(case: Any, rng: np.random.Generator, n: int) -> dict[str, np.ndarray]:
    return {"eps": rng.uniform(-1, 1, n) * 10.0 ** rng.integers(-12, 1, n)}


@forall(
    id="relu.dh1-dz1-zero-at-input-minus-one",
    worksheet=WS002,
    location="Problem 3(c) (C)",
    quote=r"\max(0, z_1) = \frac{\partial}{\partial z_1} \max(0, -1) = \frac{\partial}{\partial z_1} 0 = 0",
    statement=(
        "$\\frac{\\partial h_1}{\\partial z_1} = \\frac{\\partial}{\\partial z_1}\\max(0, z_1) = "
        "\\frac{\\partial}{\\partial z_1}\\max(0, -1) = 0$: at $z_1 = -1$ the ReLU gives $h_1 = 0$ and has derivative "
        "0."
    ),
    formalisation=(
        "at z1 = -1: ReLU(z1) == 0, ReLU'(z1) == 0, and ReLU is constant on the neighbourhood |e| < 1: "
        "ReLU(z1 + e) - ReLU(z1) == 0 for all sampled e in (-1, 1), so the derivative is 0."
    ),
    expected="holds",
    cases=CASES,
    instances=_offsets,
    mutant=Mutant("h1 receives +1 instead", z1=1.0),
)
def relu_flat_at_minus_one(v: Any, ops: Any, z1: float = -1.0) -> Any:
    z = v.eps * 0 + z1
    return {
        "h1 = ReLU(-1) = 0": equal(ops.relu(z), 0.0),
        "ReLU'(-1) = 0": equal(ops.relu_prime(z), 0.0),
        "ReLU flat around -1": equal(ops.relu(z + v.eps) - ops.relu(z), 0.0, show={"eps": v.eps}),
    }


def _relu_prime_with(z: Any, c: Any, ops: Any) -> Any:
    """ReLU'(z) with the convention ReLU'(0) = c: 1 above 0, 0 below, c at 0."""
    return ops.relu_prime(z) + c * (1 - ops.relu_prime(z) - ops.relu_prime(-z))


def _dl_dw1_with(p: relu_net.Weights, f: relu_net.Forward, x1: Any, g: Any, c: Any, ops: Any) -> Any:
    """dL/dw1 by backpropagation (as relu_net.backward) with ReLU'(0) = c at every unit."""
    d_z = g * _relu_prime_with(f.z, c, ops)
    d_z3 = d_z * p.w3 * _relu_prime_with(f.z3, c, ops)
    d_z4 = d_z * p.w5 * _relu_prime_with(f.z4, c, ops)
    return (d_z3 * p.w2 + d_z4 * p.w4) * _relu_prime_with(f.z1, c, ops) * x1


def h1_off_with_ties(case: Any, rng: np.random.Generator, n: int) -> dict[str, np.ndarray]:
    """h1_off cases, half of them with h2 off too (u2 = u3 = 0), so z3, z4 and z sit exactly at the kink 0;
    and a convention c = ReLU'(0) in [0, 1] (0, 1/2 and 1 drawn often)."""
    out = h1_off(case, rng, n)
    tie = rng.random(n) < 0.5
    out["u2"], out["u3"] = np.where(tie, 0.0, out["u2"]), np.where(tie, 0.0, out["u3"])
    out["c"] = np.where(rng.random(n) < 0.5, rng.choice([0.0, 0.5, 1.0], n), rng.uniform(0, 1, n))
    return out


@forall(
    id="relu.dl-dw1-guaranteed-zero-for-every-relu-prime-at-zero",
    worksheet=WS002,
    location="Problem 3(c)",
    quote=r"$\therefore \frac{\partial L}{\partial w_1}$ is guaranteed to be 0",
    statement=(
        "YES for $w_1$ whatever value in $[0, 1]$ is taken for $\\mathrm{ReLU}'(0)$: when $h_1$ receives $-1$, "
        "$\\frac{\\partial L}{\\partial w_1} = 0$ (the answer does not rest on the convention at the kink)."
    ),
    formalisation=RECONSTRUCTION.replace("; ReLU'(0) = 0.", ".")
    + H1_OFF
    + (
        " For every convention c = ReLU'(0) in [0, 1], all other weights, inputs and dL/dy, with z3, z4 and z "
        "exactly 0 in half the cases (h2 off): dL/dw1 == 0, backpropagated with ReLU'(0) = c at every unit. The "
        "factor ReLU'(z1) = ReLU'(-1) = 0 under every convention; only an input of exactly 0 at h1 would make the "
        "answer depend on it (the negative control)."
    ),
    fact="relu-dead-unit-incoming-weight-gradient-zero",
    expected="holds",
    cases=CASES,
    instances=h1_off_with_ties,
    mutant=Mutant("h1 receives 0 instead (z1 = 0, where ReLU'(z1) = c)", z1=0.0),
)
def dw1_zero_any_convention(v: Any, ops: Any, z1: float = -1.0) -> Any:
    p, f, _ = model(v, ops, z1)
    return equal(_dl_dw1_with(p, f, v.x1, v.g, v.c, ops), 0.0, show={"z1": f.z1, "ReLU'(0)": v.c, "z3": f.z3, "z4": f.z4})


def positive_or_general(case: Any, rng: np.random.Generator, n: int) -> dict[str, np.ndarray]:
    """Any training case; in half of them every weight and input is positive (the ReLU never clips)."""
    out = general(case, rng, n)
    positive = rng.random(n) < 0.5
    return {k: np.where(positive, np.abs(val), val) if k != "g" else val for k, val in out.items()}


UNITS = ("1", "2", "3", "4", "")


@forall(
    id="relu.sparsifies-activations-and-derivatives",
    worksheet=WS002,
    location="Problem 3",
    quote=r"sets a large fraction of the values to zero for any given input vector",
    statement=(
        "ReLU sparsifies the activations and the derivatives: for any given input vector it sets a large fraction "
        "of them to zero."
    ),
    formalisation=RECONSTRUCTION
    + (
        " 'A large fraction' is read in its weakest form, at least one: for every training case, some unit of "
        "h1..h4, y has activation 0 and ReLU'(z) = 0."
    ),
    expected="refuted",
    cases=CASES,
    instances=positive_or_general,
    erratum=Erratum(
        "No input-independent fraction is set to zero: with all weights and inputs positive every pre-activation is "
        "positive, so no activation and no ReLU derivative is 0. ReLU zeroes exactly the units whose input is "
        "not positive (relu.zeroes-exactly-the-units-with-non-positive-input); how many depends on the weights and "
        "the input.",
        corrected_by="relu.zeroes-exactly-the-units-with-non-positive-input",
        replacement=r"sets to zero the activation and the derivative of every unit whose input is not positive, often a large fraction of the values",
        contestable=(
            "the other reading: 'for any given input vector' describes typical inputs and weights (a unit with a "
            "sign-symmetric random input is off half the time), not a guarantee for every input"
        ),
    ),
)
def sparsifies(v: Any, ops: Any) -> Any:
    _, f, _ = model(v, ops)
    zs = [getattr(f, "z" + u) for u in UNITS]
    off = exact(np.zeros(np.shape(v.g), dtype=bool))
    for z in zs:
        off = off | (le(ops.relu(z), 0) & le(ops.relu_prime(z), 0))
    return is_true(off, show={"z" + (u or ""): z for u, z in zip(UNITS, zs)})


def general_with_ties(case: Any, rng: np.random.Generator, n: int) -> dict[str, np.ndarray]:
    """Any training case; a few with h2's inputs cut (z2 = 0 exactly) or with x = 0 (every z = 0): exact ties,
    each decided by the twin, so kept to about one instance in 32 each."""
    out = general(case, rng, n)
    kind = rng.choice(3, n, p=[30 / 32, 1 / 32, 1 / 32])
    for name in ("u2", "u3"):
        out[name] = np.where(kind == 1, 0.0, out[name])
    for name in ("x1", "x2"):
        out[name] = np.where(kind == 2, 0.0, out[name])
    return out


@forall(
    id="relu.zeroes-exactly-the-units-with-non-positive-input",
    worksheet=WS002,
    location="Problem 3",
    quote=r"One of the interesting features of the ReLU activation function is that it sparsifies the activations and the derivatives",
    statement=(
        "For any given input, ReLU sets to zero the activation of exactly the units whose input is not positive, "
        "$h = \\max(0, z)$, and their derivative with it: $\\mathrm{ReLU}'(z)\\,z = h$, so $\\mathrm{ReLU}'(z) = 0$ "
        "wherever $z < 0$; how many units that is depends on the weights and the input."
    ),
    formalisation=RECONSTRUCTION
    + (
        " For every training case (with exact zeros: z2 = 0 in about 1/32 of the cases, x = 0 and so every z = 0 "
        "in another 1/32) and every unit h1..h4, y: ReLU(z) == max(z, 0) and ReLU'(z) z == ReLU(z)."
    ),
    expected="holds",
    cases=CASES,
    instances=general_with_ties,
    mutant=Mutant("a leaky unit (slope 1/100 below 0): negative inputs not zeroed", leak=0.01),
)
def zeroes_exactly(v: Any, ops: Any, leak: float = 0.0) -> Any:
    _, f, _ = model(v, ops)
    out = {}
    for u in UNITS:
        z = getattr(f, "z" + u)
        h = ops.relu(z) + leak * (z - ops.relu(z))
        name = f"h{u}" if u else "y"
        out[f"{name} = max(z{u}, 0)"] = equal(h, ops.maximum(z, 0 * z), show={f"z{u}": z})
        out[f"ReLU'(z{u}) z{u} = {name}"] = equal(ops.relu_prime(z) * z, h, show={f"z{u}": z})
    return out


not_checkable(
    id="relu.question-which-derivatives-vanish",
    worksheet=WS002,
    location="Problem 3",
    quote=r"\frac{\partial \mathcal{L}}{\partial w_1}, \frac{\partial \mathcal{L}}{\partial w_2}, \frac{\partial \mathcal{L}}{\partial w_3}",
    statement="Which of $\\partial\\mathcal L/\\partial w_1$, $\\partial\\mathcal L/\\partial w_2$, $\\partial\\mathcal L/\\partial w_3$ are guaranteed to be 0?",
    reason=(
        "The question, not a statement; its three answers are checked in relu.dl-dw1-guaranteed-zero, "
        "relu.dl-dw2-guaranteed-zero and relu.dl-dw3-not-guaranteed-zero."
    ),
)
