"""The combinatorics of the exact availability (:mod:`hvdesign.availability`): subset
sums over attachment sets, set partitions with their Moebius coefficients, and the
closed forms that count hosts by what they do (serve, keep their VMs unreachable, do
neither, lie outside the quorum component).

Every function here is pure arithmetic on probabilities; the failure rules live in
:mod:`hvdesign.scenarios` and how they become these sums in :mod:`hvdesign.availability`.

References
----------
[1] R. Stanley, *Enumerative Combinatorics* vol. 1, §3.7 (the Moebius function of the
    partition lattice) and vol. 2, §5.1 (the exponential formula).
"""

from __future__ import annotations

import math
from functools import lru_cache

import numpy as np


def _bits(mask: int) -> list[int]:
    return [i for i in range(mask.bit_length()) if mask >> i & 1]


def zeta(w: np.ndarray, u: int) -> np.ndarray:
    """Subset sums: out[B] = sum of w[X] over X subset of B (first axis, 2^u long)."""
    out = w.copy()
    for i in range(u):
        shape = (1 << (u - i - 1), 2, 1 << i) + out.shape[1:]
        view = out.reshape(shape)
        view[:, 1] += view[:, 0]
    return out


@lru_cache(maxsize=16)
def partitions(k: int) -> tuple[np.ndarray, np.ndarray]:
    """Set partitions of k positions: (Moebius coefficient (-1)^(b-1) (b-1)! of each,
    blocks as bitmasks padded with 0), b = the number of blocks."""
    parts: list[list[int]] = [[]]
    for i in range(k):
        nxt = []
        for p in parts:
            for j in range(len(p)):
                nxt.append(p[:j] + [p[j] | 1 << i] + p[j + 1 :])
            nxt.append(p + [1 << i])
        parts = nxt
    mu = np.array([(-1) ** (len(p) - 1) * math.factorial(len(p) - 1) for p in parts], float)
    blocks = np.zeros((len(parts), k), dtype=np.int64)
    for r, p in enumerate(parts):
        blocks[r, : len(p)] = p
    return mu, blocks


def spread(W: int) -> np.ndarray:
    """Map the 2^k local bitmasks over W's k elements to global bitmasks."""
    pos = _bits(W)
    local = np.arange(1 << len(pos))
    out = np.zeros(len(local), dtype=np.int64)
    for j, b in enumerate(pos):
        out |= ((local >> j) & 1) << b
    return out


def multinomial3(m: int, w: np.ndarray, mu: np.ndarray) -> np.ndarray:
    """sum_t mu_t m!/(a! b! c! e!) wa^a wb^b wc^c we^e over (a, b, c), e = m-a-b-c."""
    coef, e = _multinomial_table(m)
    r = np.arange(m + 1)
    powers = w[:, :, None] ** r[None, None, :]  # (terms, 4, m + 1)
    out = np.zeros((m + 1,) * 3)
    e_clipped = np.clip(e, 0, None)
    for lo in range(0, len(mu), 32):
        pw = powers[lo : lo + 32]
        term = pw[:, 3][:, e_clipped] * mu[lo : lo + 32, None, None, None]
        term *= pw[:, 0][:, :, None, None]
        term *= pw[:, 1][:, None, :, None]
        term *= pw[:, 2][:, None, None, :]
        out += term.sum(axis=0)
    return out * coef


@lru_cache(maxsize=70)
def _multinomial_table(m: int) -> tuple[np.ndarray, np.ndarray]:
    """m!/(a! b! c! e!) over (a, b, c) with e = m - a - b - c (0 where e < 0), and e."""
    a, b, c = np.indices((m + 1,) * 3)
    e = m - a - b - c
    fact = np.array([math.factorial(i) for i in range(m + 1)], float)
    coef = fact[m] / (fact[a] * fact[b] * fact[c] * fact[np.clip(e, 0, None)])
    return np.where(e >= 0, coef, 0.0), e


def served_share(n: int, reserve: int) -> np.ndarray:
    """h(s, u) = min(n - u, s n / (n - reserve)) / n over s, u = 0..n: the share of VMs
    that run when s hosts of the quorum component serve and u keep their VMs
    unreachable (:func:`~hvdesign.scenarios.evaluate_groups`: 1 - (u + short) / n with
    short = max(0, n - u - s n / (n - reserve)))."""
    s, u = np.indices((n + 1, n + 1))
    return np.minimum(n - u, s * n / (n - reserve)) / n


class WeightedTerms:
    """The terms of the weighted closed form (:func:`weighted_form`), prepared once per
    design shape: terms with equal (alpha, beta, delta, gamma) merged (coefficients
    summed), the distinct (alpha, gamma) and (beta, delta) pairs, and their Pascal
    rows, extended on demand to the largest node count asked for (rows do not depend
    on N)."""

    def __init__(
        self,
        coef: np.ndarray,
        alpha: np.ndarray,
        beta: np.ndarray,
        delta: np.ndarray,
        gamma: np.ndarray,
    ) -> None:
        keys, inv = np.unique(np.stack([alpha, beta, delta, gamma], 1), axis=0, return_inverse=True)
        self.coef = np.bincount(inv.ravel(), weights=coef, minlength=len(keys))
        self.ag, i_ag = np.unique(keys[:, [0, 3]], axis=0, return_inverse=True)
        self.bd, i_bd = np.unique(keys[:, [1, 2]], axis=0, return_inverse=True)
        self.i_ag, self.i_bd = i_ag.ravel(), i_bd.ravel()
        self._tails = self._rows = self._suffix = np.zeros((0, 0, 0))

    def rows(self, n: int) -> tuple[np.ndarray, np.ndarray]:
        """Pascal rows to n: [m, t, j] = C(m, j) alpha^j gamma^(m-j), and the same of
        (beta, delta)."""
        if len(self._tails) <= n:
            size = max(n, 64)
            self._tails = _binomial_rows(self.ag[:, 0], self.ag[:, 1], size)
            self._rows = _binomial_rows(self.bd[:, 0], self.bd[:, 1], size)
            # tail sums over j >= c, summed from the small end (terms >= 0: no cancellation)
            self._suffix = np.cumsum(self._tails[:, :, ::-1], axis=2)[:, :, ::-1]
        return self._tails, self._rows

    def tail_sums(self, n: int) -> np.ndarray:
        """[m, t, c] = sum over j >= c of C(m, j) alpha^j gamma^(m-j) (for m <= n)."""
        self.rows(n)
        return self._suffix


def weighted_form(n: int, h: np.ndarray, quorum: np.ndarray, terms: WeightedTerms) -> float:
    """sum_t coef_t sum over q in quorum, s + u <= q of
    n!/((n-q)! s! u! (q-s-u)!) gamma^(n-q) beta^s delta^u alpha^(q-s-u) h(s, u).

    With v = s + u and j = q - v the sum factorises:
    sum_v C(n, v) [sum_s C(v, s) beta^s delta^(v-s) h(s, v-s)]
    x [sum_{j: v+j in quorum} C(n-v, j) alpha^j gamma^(n-v-j)],
    O(n^2) per distinct pair; every factor is a sum of terms >= 0."""
    where = np.flatnonzero(quorum)
    if len(terms.coef) == 0 or len(where) == 0:
        return 0.0
    q_lo, q_hi = int(where[0]), int(where[-1])
    if len(where) != q_hi - q_lo + 1:
        raise ValueError("quorum must be an interval of host counts")
    tails, rows = terms.rows(n)
    # second[t, v] = sum over j with v + j in quorum of C(n-v, j) alpha^j gamma^(n-v-j)
    v = np.arange(n + 1)
    lo = np.clip(q_lo - v, 0, None)
    if q_hi == n:  # a threshold: tail sums (0 where lo > n - v: those entries are 0)
        second = terms.tail_sums(n)[n - v, :, np.minimum(lo, n)].T
        second = np.where(lo <= n - v, second, 0.0)
    else:
        second = np.zeros((len(terms.ag), n + 1))
        for x in range(n + 1):
            hi = min(q_hi - x, n - x)
            if lo[x] <= hi:
                second[:, x] = tails[n - x, :, lo[x] : hi + 1].sum(axis=1)
    # first[t, v] = sum over s of C(v, s) beta^s delta^(v-s) h(s, v-s)
    vv, ss = np.indices((n + 1, n + 1))
    h_vs = np.where(ss <= vv, h[ss, np.clip(vv - ss, 0, n)], 0.0)
    first = np.einsum("vts,vs->tv", rows[: n + 1, :, : n + 1], h_vs)
    binom_n = np.array([math.comb(n, x) for x in range(n + 1)], float)
    per_term = (first[terms.i_bd] * second[terms.i_ag]) @ binom_n
    return float(terms.coef @ per_term)


def _binomial_rows(x: np.ndarray, y: np.ndarray, n: int) -> np.ndarray:
    """[m, t, j] = C(m, j) x_t^j y_t^(m-j) for m = 0..n (0 for j > m), by Pascal's rule
    (row m+1 = y row m + x row m shifted; all terms are >= 0: no cancellation)."""
    out = np.zeros((n + 1, len(x), n + 1))
    out[0, :, 0] = 1.0
    for m in range(n):
        out[m + 1, :, : m + 1] = y[:, None] * out[m, :, : m + 1]
        out[m + 1, :, 1 : m + 2] += x[:, None] * out[m, :, : m + 1]
    return out


def closed_form(
    n: int,
    k: int,
    quorum: np.ndarray,
    coef: np.ndarray,
    alpha: np.ndarray,
    beta: np.ndarray,
    gamma: np.ndarray,
) -> float:
    """sum_t coef_t sum over q in quorum, s >= k of n!/((n-q)! s! (q-s)!)
    gamma^(n-q) beta^s alpha^(q-s): q hosts in Q (the others outside), s of them serve."""
    pairs = [(q, s) for q in range(n + 1) if quorum[q] for s in range(max(k, 0), q + 1)]
    if not pairs or len(coef) == 0:
        return 0.0
    qs = np.array(pairs)
    q, s = qs[:, 0], qs[:, 1]
    weight = np.array([math.comb(n, int(x)) * math.comb(int(x), int(y)) for x, y in pairs], float)
    total = 0.0
    step = max(1, 4_000_000 // len(pairs))
    for lo in range(0, len(coef), step):
        sl = slice(lo, lo + step)
        vals = (
            gamma[sl, None] ** (n - q)[None, :]
            * beta[sl, None] ** s[None, :]
            * alpha[sl, None] ** (q - s)[None, :]
        ) @ weight
        total += float(coef[sl] @ vals)
    return total
