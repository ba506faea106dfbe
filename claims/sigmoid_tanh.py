"""Sigmoid versus tanh hidden units: sigma(x) = tanh(x/2)/2 + 1/2 and the equivalent network (002 Problem 2).

Networks are ``models.fcnet`` two-layer nets with biases: z = W1 x + b1, h = g(z), y = sigma(W2 h + b2),
where the worksheet's w_ji^(1) is ``W1[j, i]``, w_j0^(1) is ``b1[j]``, w_kj^(2) is ``W2[k, j]`` and
w_k0^(2) is ``b2[k]``. Scalars x are every real, edges included (``claims.strategies.reals``); the chain's
lines are drawn in |x| <= 800 (see CHAIN_LIMIT).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from claims.engine import Erratum, Mutant, Step, derivation, equal, exact, forall, is_true, not_checkable, st
from claims.strategies import grid, reals
from claims.worksheets import WS002
from models import fcnet

# ---------------------------------------------------------------- scalar identities


def _scalars(case: Any, rng: np.random.Generator, n: int) -> dict[str, np.ndarray]:
    """Every real x: typical values and edges (+-0, subnormals, 1e-300, up to 1e300)."""
    return {"x": reals(rng, n)}


# The chain's lines cancel for negative x (e^{x/2} - e^{-x/2} + e^{-x/2} is e^{x/2}, computed beside
# e^{-x/2}): the twin needs about |x|/ln 2 bits, so it decides them up to |x| of about 22,000 within its
# 32,768 bits, but at up to 0.65 s an instance. |x| <= 800 still takes e^{+-x} past float64's
# overflow and underflow (|x| > 745), where every line is decided by the twin.
CHAIN_BOUND = 800.0
CHAIN_LIMIT = (
    " x drawn with edges in [-800, 800]: the lines cancel to e^{x/2} beside e^{-x/2}, decidable by the twin up to "
    "|x| of about 22,000 (its 32,768 bits), but at up to 0.65 s an instance there."
)


def _chain_scalars(case: Any, rng: np.random.Generator, n: int) -> dict[str, np.ndarray]:
    """Real x with edges in [-CHAIN_BOUND, CHAIN_BOUND]."""
    return {"x": reals(rng, n, low=-CHAIN_BOUND, high=CHAIN_BOUND)}


SCALARS = st.fixed_dictionaries({})


def _e(ops: Any, a: Any) -> Any:
    return ops.exp(a)


def _th(v: Any, ops: Any) -> Any:
    """tanh(x/2), by the worksheet's definition (e^a - e^-a)/(e^a + e^-a) at a = x/2."""
    return ops.tanh(v.x / 2)


# The worksheet's chain, one entry per displayed line (the first line holds two members).
SIGMA_CHAIN: list[tuple[str, Callable[[Any, Any], Any]]] = [
    ("$\\sigma(x)$", lambda v, o: o.sigmoid(v.x)),
    ("$\\frac{1}{1+e^{-x}}$", lambda v, o: 1 / (1 + _e(o, -v.x))),
    ("$\\frac{1}{1+e^{-(x/2+x/2)}}$", lambda v, o: 1 / (1 + _e(o, -(v.x / 2 + v.x / 2)))),
    ("$\\frac{1}{1+e^{-x/2}\\,e^{-x/2}}$", lambda v, o: 1 / (1 + _e(o, -v.x / 2) * _e(o, -v.x / 2))),
    ("$\\frac{e^{x/2}}{e^{x/2}+e^{-x/2}}$", lambda v, o: _e(o, v.x / 2) / (_e(o, v.x / 2) + _e(o, -v.x / 2))),
    (
        "$\\frac{e^{x/2}-e^{-x/2}+e^{-x/2}}{e^{x/2}+e^{-x/2}}$",
        lambda v, o: (_e(o, v.x / 2) - _e(o, -v.x / 2) + _e(o, -v.x / 2)) / (_e(o, v.x / 2) + _e(o, -v.x / 2)),
    ),
    (
        "$\\frac{e^{x/2}-e^{-x/2}}{e^{x/2}+e^{-x/2}} + \\frac{e^{-x/2}}{e^{x/2}+e^{-x/2}}$",
        lambda v, o: (
            (_e(o, v.x / 2) - _e(o, -v.x / 2)) / (_e(o, v.x / 2) + _e(o, -v.x / 2))
            + _e(o, -v.x / 2) / (_e(o, v.x / 2) + _e(o, -v.x / 2))
        ),
    ),
    ("$\\tanh(x/2) + \\frac{1}{1+e^x}$", lambda v, o: _th(v, o) + 1 / (1 + _e(o, v.x))),
    (
        "$\\tanh(x/2) + \\left(\\frac{1}{1+e^x} - 1\\right) + 1$",
        lambda v, o: _th(v, o) + (1 / (1 + _e(o, v.x)) - 1) + 1,
    ),
    ("$\\tanh(x/2) + \\frac{1-e^x}{1+e^x} + 1$", lambda v, o: _th(v, o) + (1 - _e(o, v.x)) / (1 + _e(o, v.x)) + 1),
    ("$\\tanh(x/2) - \\frac{e^x}{1+e^x} + 1$", lambda v, o: _th(v, o) - _e(o, v.x) / (1 + _e(o, v.x)) + 1),
    ("$\\tanh(x/2) - \\frac{1}{1+e^{-x}} + 1$", lambda v, o: _th(v, o) - 1 / (1 + _e(o, -v.x)) + 1),
    ("$\\tanh(x/2) - \\sigma(x) + 1$", lambda v, o: _th(v, o) - o.sigmoid(v.x) + 1),
]
BROKEN_LINE = 9  # found by the suite: (1/(1+e^x) - 1) is not (1-e^x)/(1+e^x)
CORRECTED_LINE = (
    "$\\tanh(x/2) + \\frac{-e^x}{1+e^x} + 1$",
    lambda v, o: _th(v, o) + (-_e(o, v.x)) / (1 + _e(o, v.x)) + 1,
)


def _chain(lines: list[tuple[str, Callable[[Any, Any], Any]]]) -> list[Step]:
    return [Step(latex, fn) for latex, fn in lines]


derivation(
    id="sigmoid-tanh.chain-from-sigma-to-tanh-minus-sigma",
    worksheet=WS002,
    location="Problem 2, relation between sigma and tanh",
    quote=r"&= \tanh\left(\frac{x}{2}\right) + \frac{1-e^x}{1+e^x} + 1",
    statement=(
        "$\\sigma(x) = \\frac{1}{1+e^{-x}} = \\dots = \\tanh(x/2) + \\left(\\frac{1}{1+e^x} - 1\\right) + 1 = "
        "\\tanh(x/2) + \\frac{1-e^x}{1+e^x} + 1 = \\dots = \\tanh(x/2) - \\sigma(x) + 1$, line by line as displayed."
    ),
    formalisation="for all real x: each displayed member of the chain equals the previous one." + CHAIN_LIMIT,
    expected="refuted",
    cases=SCALARS,
    instances=_chain_scalars,
    steps=_chain(SIGMA_CHAIN),
    erratum=Erratum(
        "$\\frac{1}{1+e^x} - 1 = \\frac{-e^x}{1+e^x}$, not $\\frac{1-e^x}{1+e^x}$ (that line equals 1 for every x); "
        "the next line then fails against it too. With the corrected line the chain holds, and its end "
        "$\\tanh(x/2) - \\sigma(x) + 1$ does equal $\\sigma(x)$.",
        corrected_by="sigmoid-tanh.corrected-chain-from-sigma-to-tanh-minus-sigma",
        replacement=r"&= \tanh\left(\frac{x}{2}\right) + \frac{-e^x}{1+e^x} + 1",
    ),
)

derivation(
    id="sigmoid-tanh.corrected-chain-from-sigma-to-tanh-minus-sigma",
    worksheet=WS002,
    location="Problem 2, relation between sigma and tanh",
    quote=r"\sigma(x) &= \frac{1}{1+e^{-x}} = \frac{1}{1+e^{-(\frac{x}{2}+\frac{x}{2})}}",
    statement=(
        "The same chain with the line $\\tanh(x/2) + \\frac{1-e^x}{1+e^x} + 1$ replaced by $\\tanh(x/2) + "
        "\\frac{-e^x}{1+e^x} + 1$."
    ),
    formalisation="for all real x: each member equals the previous one." + CHAIN_LIMIT,
    expected="holds",
    cases=SCALARS,
    instances=_chain_scalars,
    steps=_chain(SIGMA_CHAIN[:BROKEN_LINE] + [CORRECTED_LINE] + SIGMA_CHAIN[BROKEN_LINE + 1 :]),
    mutant=Mutant("the worksheet's line (1-e^x)/(1+e^x) put back", step=BROKEN_LINE, value=SIGMA_CHAIN[BROKEN_LINE][1]),
)


@forall(
    id="sigmoid-tanh.sigma-equals-tanh-half-minus-sigma-plus-one",
    worksheet=WS002,
    location="Problem 2, relation between sigma and tanh",
    quote=r"\Rightarrow \sigma(x) = \tanh\left(\frac{x}{2}\right) - \sigma(x) + 1",
    statement="$\\sigma(x) = \\tanh(x/2) - \\sigma(x) + 1$ for every real $x$ (the chain's conclusion).",
    formalisation="for all real x: sigma(x) == tanh(x/2) - sigma(x) + 1.",
    expected="holds",
    cases=SCALARS,
    instances=_scalars,
    mutant=Mutant("tanh(x) instead of tanh(x/2)", half=1.0),
)
def sigma_fixed_point(v: Any, ops: Any, half: float = 0.5) -> Any:
    return equal(ops.sigmoid(v.x), ops.tanh(v.x * half) - ops.sigmoid(v.x) + 1)


# ---------------------------------------------------------------- the implications


def _line(lhs: Callable[[Any, Any], Any], rhs: Callable[[Any, Any], Any]) -> Callable[[Any, Any], Any]:
    """An equation in the unknown s = sigma(x), with t = tanh(x/2): the pair (lhs(s, t), rhs(s, t))."""
    return lambda v, ops: (lambda s: lhs(s, _th(v, ops)), lambda s: rhs(s, _th(v, ops)))


def implies(prev: Any, cur: Any, ops: Any) -> Any:
    """prev => cur for equations affine in s: solve prev for its one root s*, and check cur at s*."""
    r0 = prev[0](0) - prev[1](0)
    r1 = prev[0](1) - prev[1](1)
    s = -r0 / (r1 - r0)
    return equal(cur[0](s), cur[1](s), show={"root of the previous line": s})


IMPLICATIONS = [
    ("$\\sigma(x) = \\tanh(x/2) - \\sigma(x) + 1$", _line(lambda s, t: s, lambda s, t: t - s + 1)),
    ("$\\Rightarrow 2\\sigma(x) = \\tanh(x/2) + 1$", _line(lambda s, t: 2 * s, lambda s, t: t + 1)),
    ("$\\Rightarrow \\sigma(x) = \\frac12\\tanh(x/2) + \\frac12$", _line(lambda s, t: s, lambda s, t: t / 2 + 0.5)),
]

derivation(
    id="sigmoid-tanh.implications-to-boxed-identity",
    worksheet=WS002,
    location="Problem 2, relation between sigma and tanh",
    quote=r"\Rightarrow 2\sigma(x) = \tanh\left(\frac{x}{2}\right) + 1",
    statement=(
        "$\\sigma(x) = \\tanh(x/2) - \\sigma(x) + 1 \\Rightarrow 2\\sigma(x) = \\tanh(x/2) + 1 "
        "\\Rightarrow \\sigma(x) = \\frac12\\tanh(x/2) + \\frac12$."
    ),
    formalisation=(
        "each line is an equation affine in the unknown s = sigma(x) with t = tanh(x/2) given (every real x); "
        "line k-1 => line k is checked by solving line k-1 for its unique root s* and evaluating line k at s*."
    ),
    expected="holds",
    cases=SCALARS,
    instances=_scalars,
    steps=[Step(latex, fn, relation=implies if k else "=") for k, (latex, fn) in enumerate(IMPLICATIONS)],
    mutant=Mutant("boxed line with 1 instead of 1/2", step=2, value=_line(lambda s, t: s, lambda s, t: t / 2 + 1)),
)


@forall(
    id="sigmoid-tanh.sigma-is-half-tanh-half-plus-half",
    worksheet=WS002,
    location="Problem 2, relation between sigma and tanh (boxed)",
    quote=r"\boxed{\sigma(x) = \frac{1}{2} \tanh\left(\frac{x}{2}\right) + \frac{1}{2}}",
    statement="$\\sigma(x) = \\frac12\\tanh(x/2) + \\frac12$ for every real $x$.",
    formalisation="for all real x: sigma(x) == tanh(x/2)/2 + 1/2.",
    fact="sigmoid-half-tanh-identity",
    expected="holds",
    cases=SCALARS,
    instances=_scalars,
    mutant=Mutant("tanh(x) instead of tanh(x/2)", half=1.0),
)
def boxed_identity(v: Any, ops: Any, half: float = 0.5) -> Any:
    return equal(ops.sigmoid(v.x), ops.tanh(v.x * half) / 2 + 0.5)


# ---------------------------------------------------------------- the two networks

NETS = grid(D=range(1, 4), M=range(1, 4), K=range(1, 4))
WIDTHS = grid(D=range(1, 4), M=range(1, 4))


def _nets(case: Any, rng: np.random.Generator, n: int) -> dict[str, np.ndarray]:
    """A batch of parameters (W1, b1, W2, b2) and inputs x, with weights at a few scales."""
    s = 10.0 ** rng.integers(-1, 2, size=(n, 1))
    D, M, K = case.D, case.M, case.K
    return {
        "W1": rng.normal(size=(n, M, D)) * s[..., None],
        "b1": rng.normal(size=(n, M)) * s,
        "W2": rng.normal(size=(n, K, M)) * s[..., None],
        "b2": rng.normal(size=(n, K)) * s,
        "x": rng.normal(size=(n, D)) * 2,
    }


def sigmoid_net_output(v: Any, ops: Any) -> Any:
    net = fcnet.Net((v.W1, v.W2), (v.b1, v.b2), hidden="sigmoid", output="sigmoid")
    return fcnet.forward(net, v.x, ops).X[-1]


def mapped_tanh_output(v: Any, ops: Any, first: float = 0.5, second: float = 0.5, shift: float = 0.5) -> Any:
    """The tanh-hidden net with w_kj* = w_kj/2, w_k0* = w_k0 + sum_j w_kj/2, w_ji* = w_ji/2, w_j0* = w_j0/2."""
    b2 = v.b2 + shift * ops.sum(v.W2, axis=-1)
    net = fcnet.Net((first * v.W1, second * v.W2), (first * v.b1, b2), hidden="tanh", output="sigmoid")
    return fcnet.forward(net, v.x, ops).X[-1]


def _z(v: Any, ops: Any) -> Any:
    return ops.matvec(v.W1, v.x) + v.b1


def _out(v: Any, ops: Any, W2h: Any, bias: Any) -> Any:
    return ops.sigmoid(W2h + bias)


NETWORK_LINES = [
    (
        "$y_k = \\sigma\\big(\\sum_j w_{kj}^{(2)} g(\\tilde z_j) + w_{k0}^{(2)}\\big)$, $g = \\sigma$ (the network)",
        sigmoid_net_output,
    ),
    (
        "$\\sigma\\big(\\sum_j w_{kj}^{(2)}\\sigma(\\tilde z_j) + w_{k0}^{(2)}\\big)$",
        lambda v, o: _out(v, o, o.matvec(v.W2, o.sigmoid(_z(v, o))), v.b2),
    ),
    (
        "$\\sigma\\big(\\sum_j w_{kj}^{(2)}(\\frac12\\tanh(\\tilde z_j/2) + \\frac12) + w_{k0}^{(2)}\\big)$",
        lambda v, o: _out(v, o, o.matvec(v.W2, o.tanh(_z(v, o) / 2) / 2 + 0.5), v.b2),
    ),
    (
        "$\\sigma\\big(\\sum_j \\frac{w_{kj}^{(2)}}{2}\\tanh(\\tilde z_j/2) + \\sum_j \\frac{w_{kj}^{(2)}}{2} + "
        "w_{k0}^{(2)}\\big)$",
        lambda v, o: _out(v, o, o.matvec(v.W2 / 2, o.tanh(_z(v, o) / 2)), o.sum(v.W2 / 2, axis=-1) + v.b2),
    ),
    (
        "$\\sigma\\big(\\sum_j \\frac{w_{kj}^{(2)}}{2}\\tanh(\\sum_i \\frac{w_{ji}^{(1)}}{2} x_i + "
        "\\frac{w_{j0}^{(1)}}{2}) "
        "+ \\sum_j \\frac{w_{kj}^{(2)}}{2} + w_{k0}^{(2)}\\big)$",
        lambda v, o: _out(
            v, o, o.matvec(v.W2 / 2, o.tanh(o.matvec(v.W1 / 2, v.x) + v.b1 / 2)), o.sum(v.W2 / 2, axis=-1) + v.b2
        ),
    ),
    (
        "$\\sigma\\big(\\sum_j w_{kj}^{(2)*}\\tanh(\\sum_i w_{ji}^{(1)*} x_i + w_{j0}^{(1)*}) + w_{k0}^{(2)*}\\big)$",
        mapped_tanh_output,
    ),
]

derivation(
    id="sigmoid-tanh.network-substitution-chain",
    worksheet=WS002,
    location="Problem 2, the two networks",
    quote=r"= \sigma \left(\sum_j \frac{w_{kj}^{(2)}}{2} \tanh \left(\frac{\tilde{z}_j}{2} \right) + \sum_j \frac{w_{kj}^{(2)}}{2} + w_{ko}^{(2)} \right)",
    statement=(
        "Substituting $\\sigma(a) = \\frac12\\tanh(a/2) + \\frac12$ into the sigmoid-hidden network and regrouping "
        "gives, "
        "line by line, the tanh-hidden network with parameters $w^{(2)*}_{kj}, w^{(2)*}_{k0}, w^{(1)*}_{ji}, "
        "w^{(1)*}_{j0}$."
    ),
    formalisation=(
        "for all D, M, K in 1..3, all parameters and inputs x: each displayed expression for y_k equals the previous "
        "one "
        "(first line: models.fcnet sigmoid-hidden forward; last: fcnet tanh-hidden forward with the mapped parameters)."
    ),
    expected="holds",
    cases=NETS,
    instances=_nets,
    steps=_chain(NETWORK_LINES),
    mutant=Mutant(
        "last line without the output-bias shift sum_j w_kj/2",
        step=5,
        value=lambda v, ops: mapped_tanh_output(v, ops, shift=0.0),
    ),
)


@forall(
    id="sigmoid-tanh.underbraced-bias-term-is-w-kj-star",
    worksheet=WS002,
    location="Problem 2, the two networks (last substitution line)",
    quote=r"\sum_j \underbrace{\frac{w_{kj}^{(2)}}{2} + w_{ko}^{(2)}}_{w_{kj}^{(2)*}}",
    statement=(
        "The underbraced term $\\sum_j \\frac{w_{kj}^{(2)}}{2} + w_{k0}^{(2)}$ is labelled $w_{kj}^{(2)*}$, the "
        "parameter with $w_{kj}^{(2)*} = w_{kj}^{(2)}/2$."
    ),
    formalisation="for all parameters and every k, j: sum_j' W2[k, j']/2 + b2[k] == W2[k, j]/2 (the mapping's w_kj*).",
    expected="refuted",
    cases=NETS,
    instances=_nets,
    erratum=Erratum(
        "The underbraced term is the output bias of the tanh network, $w_{k0}^{(2)*} = w_{k0}^{(2)} + \\sum_j "
        "w_{kj}^{(2)}/2$ (as the final parameter list says), not $w_{kj}^{(2)*} = w_{kj}^{(2)}/2$.",
        corrected_by="sigmoid-tanh.mapped-parameters-give-same-function",
        replacement=r"\underbrace{\sum_j \frac{w_{kj}^{(2)}}{2} + w_{ko}^{(2)}}_{w_{ko}^{(2)*}}",
    ),
)
def underbrace_label(v: Any, ops: Any) -> Any:
    term = ops.sum(v.W2 / 2, axis=-1) + v.b2
    return equal(term[..., None] + 0 * v.W2, v.W2 / 2)


@forall(
    id="sigmoid-tanh.mapped-parameters-give-same-function",
    worksheet=WS002,
    location="Problem 2, parameters of the equivalent network",
    quote=r"w_{kj}^{(2)*} = \frac{w_{kj}^{(2)}}{2}, \quad w_{ko}^{(2)*} = w_{ko}^{(2)} + \sum_j \frac{w_{kj}^{(2)}}{2}",
    statement=(
        "The tanh-hidden network with $w_{kj}^{(2)*} = w_{kj}^{(2)}/2$, $w_{k0}^{(2)*} = w_{k0}^{(2)} + \\sum_j "
        "w_{kj}^{(2)}/2$, "
        "$w_{ji}^{(1)*} = w_{ji}^{(1)}/2$, $w_{j0}^{(1)*} = w_{j0}^{(1)}/2$ computes the same outputs as the "
        "sigmoid-hidden network."
    ),
    formalisation=(
        "for all D, M, K in 1..3, all parameters and inputs x: sigmoid-net(x) == tanh-net*(x), every output k."
    ),
    fact="sigmoid-network-equals-tanh-network",
    expected="holds",
    cases=NETS,
    instances=_nets,
    mutant=Mutant("output bias left unshifted: w_k0* = w_k0", shift=0.0),
)
def mapping_equivalence(v: Any, ops: Any, shift: float = 0.5) -> Any:
    return equal(mapped_tanh_output(v, ops, shift=shift), sigmoid_net_output(v, ops))


@forall(
    id="sigmoid-tanh.every-sigmoid-network-has-tanh-equivalent",
    worksheet=WS002,
    location="Problem 2",
    quote=r"\sum_j w_{kj}^{(2)*} \tanh \left(\sum_i w_{ji}^{(1)*} x_i + w_{j0}^{(1)*} \right) + w_{ko}^{(2)*}",
    statement=(
        "For every two-layer network with logistic-sigmoid hidden units there is a network with $\\tanh$ hidden units "
        "computing the same function."
    ),
    formalisation=(
        "for all D, M, K in 1..3 and all sigmoid-net parameters there exist tanh-net parameters with equal outputs for "
        "every x; witnessed for each sampled net by the worksheet's mapping, checked at sampled x."
    ),
    fact="sigmoid-network-equals-tanh-network",
    expected="holds",
    cases=NETS,
    instances=_nets,
    mutant=Mutant("a witness that keeps the first-layer weights unhalved", first=1.0),
)
def tanh_equivalent_exists(v: Any, ops: Any, first: float = 0.5) -> Any:
    return equal(mapped_tanh_output(v, ops, first=first), sigmoid_net_output(v, ops))


# ---------------------------------------------------------------- the problem's set-up


@forall(
    id="sigmoid-tanh.setup-combination-of-m-input-variables",
    worksheet=WS002,
    location="Problem 2",
    quote=r"Consider a linear combination of M input variables x_1, \dots, x_D",
    statement=(
        "$z_j = \\sum_{i=1}^D w_{ji}^{(1)} x_i + w_{j0}^{(1)}$, $j = 1, \\dots, M$, is a linear combination of $M$ "
        "input variables $x_1, \\dots, x_D$."
    ),
    formalisation="for all D, M >= 1: the number of input variables combined in each z_j (D) equals M.",
    expected="refuted",
    cases=WIDTHS,
    erratum=Erratum(
        "Each $z_j$ combines the $D$ inputs $x_1, \\dots, x_D$; $M$ counts the combinations (hidden units), "
        "so $W^{(1)}$ is $M \\times D$.",
        corrected_by="sigmoid-tanh.setup-m-combinations-of-d-inputs",
        replacement=r"Consider M linear combinations of the D input variables x_1, \dots, x_D",
    ),
)
def setup_m_inputs(v: Any, ops: Any) -> Any:
    return is_true(exact(v.D == v.M), show={"inputs D": v.D, "hidden M": v.M})


@forall(
    id="sigmoid-tanh.setup-m-combinations-of-d-inputs",
    worksheet=WS002,
    location="Problem 2",
    quote=r"z_j = \sum_{i=1}^D w_{ji}^{(1)} x_i + w_{j0}^{(1)}",
    statement=(
        "There are $M$ pre-activations $z_j$, each a linear combination of the $D$ inputs: $W^{(1)}$ is $M \\times D$."
    ),
    formalisation=(
        "for all D, M in 1..3: z = W1 x + b1 (fcnet's first layer, W1 of shape M x D) has M entries, each combining D "
        "inputs."
    ),
    expected="holds",
    cases=WIDTHS,
    mutant=Mutant("z read as a combination of M inputs", inputs="M"),
)
def setup_corrected(v: Any, ops: Any, inputs: str = "D") -> Any:
    W1, x = np.ones((v.M, v.D)), np.ones(v.D)  # the structure alone decides the counts
    z = ops.matvec(W1, x)
    n_in = getattr(v, inputs)
    return is_true(exact(np.shape(z)[-1] == v.M and np.shape(W1)[-1] == n_in), show={"D": v.D, "M": v.M})


not_checkable(
    id="sigmoid-tanh.output-activation-follows-the-data",
    worksheet=WS002,
    location="Problem 2",
    quote=r"The choice of activation function is determined by the nature of the data and the assumed distribution of target variables.",
    statement=(
        "The output activation is chosen by the data: identity for regression, logistic sigmoids for binary labels, "
        "softmax for multiclass."
    ),
    reason=(
        "A modelling convention about which activation suits which target distribution, not a property of the network."
    ),
)

not_checkable(
    id="sigmoid-tanh.marking-scheme",
    worksheet=WS002,
    location="Problem 2, marking scheme",
    quote=r"Marking scheme: 8 points for relation between $\sigma(\cdot)$ & $\tanh(\cdot)$",
    statement="8 points for the sigmoid-tanh relation and 3 for each of the four mapped parameters.",
    reason="A grading rubric, not a mathematical statement.",
)


# ---------------------------------------------------------------- the combined network function

HIDDEN = grid(D=range(1, 4), M=range(1, 4), K=range(1, 4), g=("sigmoid", "tanh"))


def _g(name: str, ops: Any) -> Callable[[Any], Any]:
    return ops.sigmoid if name == "sigmoid" else ops.tanh


@forall(
    id="sigmoid-tanh.combined-network-function",
    worksheet=WS002,
    location="Problem 2",
    quote=r"y_k(x; w) = \sigma \left(\sum_{j=1}^M w_{kj}^{(2)} g \left(\sum_{i=1}^D w_{ji}^{(1)} x_i + w_{j0}^{(1)} \right) + w_{k0}^{(2)} \right)",
    statement=(
        "Combining the stages $z_j$, $h_j = g(z_j)$, $a_k$ and $y_k = \\sigma(a_k)$ gives $y_k(x; w) = \\sigma\\big("
        "\\sum_{j=1}^M w_{kj}^{(2)} g(\\sum_{i=1}^D w_{ji}^{(1)} x_i + w_{j0}^{(1)}) + w_{k0}^{(2)}\\big)$."
    ),
    formalisation=(
        "for D, M, K in 1..3, g in {sigmoid, tanh}, all parameters and inputs x: the formula, summed term by term "
        "over i and j, equals every output of the staged network (models.fcnet forward, hidden g, sigmoid output)."
    ),
    expected="holds",
    cases=HIDDEN,
    instances=_nets,
    mutant=Mutant("the hidden bias w_j0 left out of g's argument", hidden_bias=0.0),
)
def combined_formula(v: Any, ops: Any, hidden_bias: float = 1.0) -> Any:
    g = _g(v.g, ops)
    net = fcnet.Net((v.W1, v.W2), (v.b1, v.b2), hidden=v.g, output="sigmoid")
    staged = fcnet.forward(net, v.x, ops).X[-1]
    outputs = []
    for k in range(v.K):
        a = v.b2[..., k]
        for j in range(v.M):
            z = hidden_bias * v.b1[..., j]
            for i in range(v.D):
                z = z + v.W1[..., j, i] * v.x[..., i]
            a = a + v.W2[..., k, j] * g(z)
        outputs.append(ops.sigmoid(a))
    return equal(np.stack(outputs, axis=-1), staged)


@forall(
    id="sigmoid-tanh.k-is-the-total-number-of-outputs",
    worksheet=WS002,
    location="Problem 2",
    quote=r"and k is the total number of outputs",
    statement="$a_k = \\sum_j w_{kj}^{(2)} h_j + w_{k0}^{(2)}$ for $k = 1, \\dots, K$, and $k$ is the total number of outputs.",
    formalisation="for D, M, K in 1..3: every index k in 1..K equals the number of outputs of the network (K rows of W2).",
    expected="refuted",
    cases=NETS,
    instances=_nets,
    erratum=Erratum(
        "$k$ is the index of an output and runs over $1, \\dots, K$; the total number of outputs is $K$ (they differ "
        "for every $k < K$).",
        corrected_by="sigmoid-tanh.capital-k-is-the-number-of-outputs",
        replacement=r"and K is the total number of outputs",
    ),
)
def lower_k_counts_outputs(v: Any, ops: Any) -> Any:
    outputs = np.shape(sigmoid_net_output(v, ops))[-1]
    wrong = [k for k in range(1, v.K + 1) if k != outputs]
    return is_true(exact(not wrong), show={"outputs": outputs, "k": wrong[0] if wrong else v.K})


@forall(
    id="sigmoid-tanh.capital-k-is-the-number-of-outputs",
    worksheet=WS002,
    location="Problem 2",
    quote=r"where $k = 1, \dots, K$, and k is the total number of outputs",
    statement="The outputs are $y_1, \\dots, y_K$: $K$ is the total number of outputs, and $k = 1, \\dots, K$ indexes them.",
    formalisation="for D, M, K in 1..3 and all parameters: the network (W2 of shape K x M) has exactly K outputs.",
    expected="holds",
    cases=NETS,
    instances=_nets,
    mutant=Mutant("the outputs counted as M (the hidden units)", count="M"),
)
def capital_k_counts_outputs(v: Any, ops: Any, count: str = "K") -> Any:
    outputs = np.shape(sigmoid_net_output(v, ops))[-1]
    return is_true(exact(outputs == getattr(v, count)), show={"outputs": outputs, "K": v.K, "M": v.M})


# ---------------------------------------------------------------- the label "for tanh activation"


def _sigma_written_with_tanh(v: Any, ops: Any, half: float = 0.5) -> Any:
    """sigma(sum_j w_kj (1/2 tanh(z_j/2) + 1/2) + w_k0), the line under the label."""
    return _out(v, ops, ops.matvec(v.W2, ops.tanh(_z(v, ops) * half) / 2 + 0.5), v.b2)


@forall(
    id="sigmoid-tanh.tanh-activation-label-g-is-tanh",
    worksheet=WS002,
    location="Problem 2, the two networks",
    quote=r"For tanh activation, $g = \tanh(\cdot)$",
    statement=(
        "For tanh activation, $g = \\tanh(\\cdot)$: $y_k = \\sigma\\big(\\sum_j w_{kj}^{(2)}(\\frac12\\tanh(\\tilde z_j/2) "
        "+ \\frac12) + w_{k0}^{(2)}\\big)$ (the line under the label, as labelled)."
    ),
    formalisation=(
        "for D, M, K in 1..3, all parameters and inputs x: the network with g = tanh and the same parameters "
        "(models.fcnet, hidden tanh) equals sigma(sum_j w_kj (tanh(z_j/2)/2 + 1/2) + w_k0)."
    ),
    expected="refuted",
    cases=NETS,
    instances=_nets,
    erratum=Erratum(
        "The line under the label is the sigmoid network ($g = \\sigma$) with $\\sigma$ written through $\\tanh$; the "
        "network with $g = \\tanh$ and the same weights, $\\sigma(\\sum_j w_{kj}^{(2)}\\tanh(\\tilde z_j) + w_{k0}^{(2)})$, "
        "is a different function.",
        corrected_by="sigmoid-tanh.sigmoid-network-written-with-tanh",
        replacement=r"For sigmoid activation written with tanh, $g = \sigma(\cdot) = \frac{1}{2}\tanh(\frac{\cdot}{2}) + \frac{1}{2}$",
        contestable=(
            "the other reading: the label names the network the substitution leads to (hidden units with tanh), not "
            "the g of the line below it"
        ),
    ),
)
def tanh_label(v: Any, ops: Any) -> Any:
    net = fcnet.Net((v.W1, v.W2), (v.b1, v.b2), hidden="tanh", output="sigmoid")
    return equal(fcnet.forward(net, v.x, ops).X[-1], _sigma_written_with_tanh(v, ops))


@forall(
    id="sigmoid-tanh.sigmoid-network-written-with-tanh",
    worksheet=WS002,
    location="Problem 2, the two networks",
    quote=r"\left(\frac{1}{2} \tanh \left(\frac{\tilde{z}_j}{2} \right) + \frac{1}{2} \right) + w_{ko}^{(2)} \right)",
    statement=(
        "For the sigmoid network ($g = \\sigma$), substituting $\\sigma(a) = \\frac12\\tanh(a/2) + \\frac12$ gives "
        "$y_k = \\sigma\\big(\\sum_j w_{kj}^{(2)}(\\frac12\\tanh(\\tilde z_j/2) + \\frac12) + w_{k0}^{(2)}\\big)$."
    ),
    formalisation=(
        "for D, M, K in 1..3, all parameters and inputs x: the sigmoid-hidden network (models.fcnet) equals "
        "sigma(sum_j w_kj (tanh(z_j/2)/2 + 1/2) + w_k0)."
    ),
    expected="holds",
    cases=NETS,
    instances=_nets,
    mutant=Mutant("tanh(z_j) instead of tanh(z_j/2)", half=1.0),
)
def sigmoid_net_with_tanh(v: Any, ops: Any, half: float = 0.5) -> Any:
    return equal(sigmoid_net_output(v, ops), _sigma_written_with_tanh(v, ops, half))


for _id, _quote, _statement in (
    ("sigmoid-tanh.setup-hidden-activation", r"h_j = g(z_j)", "$h_j = g(z_j)$ with $g$ a differentiable nonlinear activation."),
    ("sigmoid-tanh.setup-output-pre-activation", r"a_k = \sum_{j=1}^M w_{kj}^{(2)} h_j + w_{k0}^{(2)}", "$a_k = \\sum_{j=1}^M w_{kj}^{(2)} h_j + w_{k0}^{(2)}$."),
    ("sigmoid-tanh.setup-sigmoid-output", r"y_k = \sigma(a_k)", "$y_k = \\sigma(a_k)$ for multiple binary classification."),
    ("sigmoid-tanh.setup-sigmoid-definition", r"\sigma(a) = \frac{1}{1 + e^{-a}}", "$\\sigma(a) = \\frac{1}{1 + e^{-a}}$."),
    ("sigmoid-tanh.setup-tanh-definition", r"\tanh(a) = \frac{e^a - e^{-a}}{e^a + e^{-a}}", "$\\tanh(a) = \\frac{e^a - e^{-a}}{e^a + e^{-a}}$."),
):
    not_checkable(
        id=_id,
        worksheet=WS002,
        location="Problem 2",
        quote=_quote,
        statement=_statement,
        reason=(
            "A definition of the set-up: it introduces a symbol and asserts nothing. models.fcnet implements it, and "
            "sigmoid-tanh.combined-network-function checks the stages composed."
        ),
    )

forall(
    id="sigmoid-tanh.two-networks-general-form",
    worksheet=WS002,
    location="Problem 2, the two networks",
    quote=r"y_k(\tilde{x}; \tilde{w}) = \sigma \left(\sum_j w_{kj}^{(2)} g \left(\underbrace{\sum_i w_{ji}^{(1)} x_i + w_{j0}^{(1)}}_{\tilde{z}_j} \right) + w_{ko}^{(2)} \right)",
    statement=(
        "Both networks have the form $y_k = \\sigma\\big(\\sum_j w_{kj}^{(2)} g(\\tilde z_j) + w_{k0}^{(2)}\\big)$ with "
        "$\\tilde z_j = \\sum_i w_{ji}^{(1)} x_i + w_{j0}^{(1)}$, for $g = \\sigma$ or $g = \\tanh$."
    ),
    formalisation="as sigmoid-tanh.combined-network-function (the same formula, with z_j named), g in {sigmoid, tanh}.",
    expected="holds",
    cases=HIDDEN,
    instances=_nets,
    mutant=Mutant("the hidden bias w_j0 left out of g's argument", hidden_bias=0.0),
)(combined_formula)

forall(
    id="sigmoid-tanh.sigmoid-hidden-network-form",
    worksheet=WS002,
    location="Problem 2, the two networks",
    quote=r"y_k(\tilde{x}; \tilde{w}) = \sigma \left(\sum_j w_{kj}^{(2)} \sigma(\tilde{z}_j) + w_{ko}^{(2)} \right)",
    statement="For sigmoid activation $g = \\sigma$: $y_k = \\sigma\\big(\\sum_j w_{kj}^{(2)}\\sigma(\\tilde z_j) + w_{k0}^{(2)}\\big)$.",
    formalisation="as sigmoid-tanh.combined-network-function with g = sigmoid.",
    expected="holds",
    cases=grid(D=range(1, 4), M=range(1, 4), K=range(1, 4), g=("sigmoid",)),
    instances=_nets,
    mutant=Mutant("the hidden bias w_j0 left out of g's argument", hidden_bias=0.0),
)(combined_formula)
