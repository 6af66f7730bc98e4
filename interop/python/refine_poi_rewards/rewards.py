"""The ranking rewards of refine-poi-rl, term by term, and their composite.

Ports of ``RankDiscount``, ``RankingRewards``, ``FormatReward``, ``LengthReward``,
``SoftAccuracyReward`` and ``CompositeReward``. Every term is a pure function of a parsed answer
and the ground-truth ID, in [0, 1]; see the Java Javadoc for the reasoning behind each.
"""

from __future__ import annotations

import math
from typing import Dict, List, Optional, Sequence, Tuple

from .ids import IdSpace, SemanticId
from .parser import ParsedAnswer

__all__ = [
    "discount",
    "rank_of",
    "reciprocal_rank",
    "ndcg",
    "diversity",
    "Term",
    "FormatReward",
    "LengthReward",
    "ReciprocalRankReward",
    "NdcgReward",
    "DiversityReward",
    "SoftAccuracyReward",
    "CompositeReward",
    "paper_terms",
    "Z_SCORE_EPS",
]

NONE, RECIPROCAL, LOG2 = "none", "reciprocal", "log2"
_LN2 = math.log(2)

Z_SCORE_EPS = 1e-4


def discount(kind: str, rank: int) -> float:
    """What a hit at a 1-based rank is worth: ``none`` 1, ``reciprocal`` 1/r, ``log2``."""
    if rank < 1:
        raise ValueError(f"rank must be >= 1, got {rank}")
    if kind == NONE:
        return 1.0
    if kind == RECIPROCAL:
        return 1.0 / rank
    if kind == LOG2:
        return 1.0 if rank == 1 else 1.0 / (math.log(rank + 1.0) / _LN2)
    raise ValueError(f"unknown discount {kind!r}")


def rank_of(items: Sequence[SemanticId], truth: SemanticId) -> int:
    """1-based rank of the first occurrence of the truth, 0 when absent."""
    for i, sid in enumerate(items):
        if sid == truth:
            return i + 1
    return 0


def reciprocal_rank(items: Sequence[SemanticId], truth: SemanticId) -> float:
    rank = rank_of(items, truth)
    return 0.0 if rank == 0 else 1.0 / rank


def ndcg(items: Sequence[SemanticId], truth: SemanticId, k: int) -> float:
    """NDCG@k with one relevant item."""
    if k < 1:
        raise ValueError(f"k must be >= 1, got {k}")
    rank = rank_of(items, truth)
    return 0.0 if rank == 0 or rank > k else discount(LOG2, rank)


def diversity(items: Sequence[SemanticId]) -> float:
    """Distinct items / items; 0 for an empty list."""
    if not items:
        return 0.0
    return len(set(items)) / len(items)


class Term:
    """One reward term: ``name``, whether format gating zeroes it, ``score(answer, truth)``."""

    name = ""
    gated = True

    def score(self, answer: ParsedAnswer, truth: SemanticId) -> float:
        raise NotImplementedError


def _check_k(k: int) -> int:
    if not isinstance(k, int) or k < 1:
        raise ValueError(f"k must be an int >= 1, got {k!r}")
    return k


class FormatReward(Term):
    """Strict: 1 for a well-formed answer with at most k entries, else 0. Partial credit: 0
    without an answer block or entries, else ``valid / entries`` times ``k / entries`` beyond k."""

    name = "format"
    gated = False

    def __init__(self, k: int, partial_credit: bool = False):
        self.k = _check_k(k)
        self.partial_credit = partial_credit

    def passes(self, answer: ParsedAnswer) -> bool:
        return answer.well_formed and answer.entry_count <= self.k

    def score(self, answer: ParsedAnswer, truth: SemanticId) -> float:
        if not self.partial_credit:
            return 1.0 if self.passes(answer) else 0.0
        entries = answer.entry_count
        if not answer.answer_found or entries == 0:
            return 0.0
        valid = len(answer.items) / entries
        return valid if entries <= self.k else valid * self.k / entries


class LengthReward(Term):
    """1 at exactly k entries: linear ``max(0, 1 - |n-k|/k)`` or geometric ``ratio^|n-k|``;
    0 without an answer block."""

    name = "length"

    def __init__(self, k: int, shape: str = "linear", ratio: float = 0.5):
        self.k = _check_k(k)
        if shape not in ("linear", "geometric"):
            raise ValueError(f"shape must be 'linear' or 'geometric', got {shape!r}")
        if not 0 < ratio < 1:
            raise ValueError(f"ratio must be in (0, 1), got {ratio}")
        self.shape = shape
        self.ratio = ratio

    def of(self, n: int) -> float:
        gap = abs(n - self.k)
        if self.shape == "linear":
            return max(0.0, 1.0 - gap / self.k)
        return math.pow(self.ratio, gap)

    def score(self, answer: ParsedAnswer, truth: SemanticId) -> float:
        return self.of(answer.entry_count) if answer.answer_found else 0.0


class ReciprocalRankReward(Term):
    name = "reciprocal_rank"

    def __init__(self, k: int):
        self.k = _check_k(k)

    def score(self, answer: ParsedAnswer, truth: SemanticId) -> float:
        return reciprocal_rank(answer.top(self.k), truth)


class NdcgReward(Term):
    name = "ndcg"

    def __init__(self, k: int):
        self.k = _check_k(k)

    def score(self, answer: ParsedAnswer, truth: SemanticId) -> float:
        return ndcg(answer.top(self.k), truth, self.k)


class DiversityReward(Term):
    """Over all valid items (duplicates beyond k count too)."""

    name = "diversity"

    def score(self, answer: ParsedAnswer, truth: SemanticId) -> float:
        return diversity(answer.items)


class SoftAccuracyReward(Term):
    """``max over the first k items of discount(rank) * sim(item, truth)``.

    Similarity at the first differing level ``l`` with lattice distance ``d``: a value in the
    level's band ``[floor_l, ceiling_l]``, the ceiling for ``d <= 1``, decaying linearly to the
    floor at the lattice's diameter (``linear``) or ``floor + (ceiling - floor) *
    exp(-(d-1)/length_scale)`` (``exponential``); only the slot differs: ``slot_similarity``;
    equal: 1. Default bands split [0, 0.5] evenly over the levels, slot 0.5, discount log2.
    """

    name = "soft_accuracy"

    def __init__(
        self,
        space: IdSpace,
        k: int,
        discount_kind: str = LOG2,
        decay: str = "linear",
        length_scale: float = 1.0,
        bands: Optional[Sequence[Tuple[float, float]]] = None,
        slot_similarity: float = 0.5,
    ):
        self.space = space
        self.k = _check_k(k)
        discount(discount_kind, 1)
        if decay not in ("linear", "exponential"):
            raise ValueError(f"decay must be 'linear' or 'exponential', got {decay!r}")
        if not (math.isfinite(length_scale) and length_scale > 0):
            raise ValueError(f"length_scale must be > 0, got {length_scale}")
        if not 0 <= slot_similarity < 1:
            raise ValueError(f"slot_similarity must be in [0, 1), got {slot_similarity}")
        levels = space.level_count
        if bands is None:
            bands = [(0.5 * lvl / levels, 0.5 * (lvl + 1) / levels) for lvl in range(levels)]
        if len(bands) != levels:
            raise ValueError(f"{len(bands)} bands for {levels} levels")
        for lo, hi in bands:
            if not 0 <= lo <= hi < 1:
                raise ValueError(f"need 0 <= floor <= ceiling < 1, got [{lo}, {hi}]")
        for lvl in range(levels - 1):
            if bands[lvl][1] > bands[lvl + 1][0]:
                raise ValueError(f"band of level {lvl} overlaps the band of level {lvl + 1}")
        if bands[-1][1] > slot_similarity:
            raise ValueError("band of the last level ends above the slot similarity")
        self.discount_kind = discount_kind
        self.decay = decay
        self.length_scale = float(length_scale)
        self.floors = tuple(float(b[0]) for b in bands)
        self.ceilings = tuple(float(b[1]) for b in bands)
        self.slot_similarity = float(slot_similarity)

    def similarity(self, listed: SemanticId, truth: SemanticId) -> float:
        level = listed.first_differing_level(truth)
        if level < 0:
            return 1.0
        if level == self.space.level_count:
            return self.slot_similarity
        d = self.space.levels[level].distance(listed.cells[level], truth.cells[level])
        excess = max(0.0, d - 1.0)
        hi, lo = self.ceilings[level], self.floors[level]
        if self.decay == "linear":
            span = self.space.diameters[level] - 1.0
            t = 0.0 if span <= 0 else min(1.0, excess / span)
            return hi - (hi - lo) * t
        return lo + (hi - lo) * math.exp(-excess / self.length_scale)

    def score_list(self, items: Sequence[SemanticId], truth: SemanticId) -> float:
        best = 0.0
        for i in range(min(self.k, len(items))):
            d = discount(self.discount_kind, i + 1)
            if d <= best:
                break
            best = max(best, d * self.similarity(items[i], truth))
        return best

    def score(self, answer: ParsedAnswer, truth: SemanticId) -> float:
        return self.score_list(answer.items, truth)


WEIGHTED_MEAN, GROUP_MIN_MAX, GROUP_Z_SCORE = "weighted_mean", "group_min_max", "group_z_score"


class CompositeReward:
    """Weighted terms with format gating (``CompositeReward``).

    With gating, an answer failing the strict format check gets 0 on every gated term. The
    combination: ``weighted_mean`` (``sum(w*t)/sum(w)``, in [0, 1]); ``group_min_max`` and
    ``group_z_score`` normalize each term within its group first (z-score: population std plus
    1e-4). A sample without ground truth (``None``) is not applicable: ``None`` total and terms.
    """

    def __init__(
        self,
        terms: Sequence[Tuple[Term, float]],
        gate_k: int = 0,
        combination: str = WEIGHTED_MEAN,
    ):
        if not terms:
            raise ValueError("a composite reward needs at least one term")
        names = [t.name for t, _ in terms]
        if len(set(names)) != len(names):
            raise ValueError(f"duplicate term names in {names}")
        for _, w in terms:
            if not (math.isfinite(w) and w >= 0):
                raise ValueError(f"weight must be finite and >= 0, got {w}")
        if not sum(w for _, w in terms) > 0:
            raise ValueError("the total weight must be > 0")
        if combination not in (WEIGHTED_MEAN, GROUP_MIN_MAX, GROUP_Z_SCORE):
            raise ValueError(f"unknown combination {combination!r}")
        self.terms = tuple((t, float(w)) for t, w in terms)
        self.gate = FormatReward(gate_k) if gate_k > 0 else None
        self.combination = combination

    @property
    def term_names(self) -> List[str]:
        return [t.name for t, _ in self.terms]

    def score(
        self,
        answers: Sequence[ParsedAnswer],
        truths: Sequence[Optional[SemanticId]],
        groups: Optional[Sequence[int]] = None,
    ) -> Tuple[List[Optional[float]], Dict[str, List[Optional[float]]]]:
        """Totals (``None`` = not applicable) and the per-term breakdown after gating."""
        n = len(answers)
        if len(truths) != n:
            raise ValueError(f"{n} answers, {len(truths)} truths")
        if groups is None:
            groups = [0] * n
        if len(groups) != n:
            raise ValueError(f"{n} answers, {len(groups)} group ids")
        raw: List[List[float]] = [[math.nan] * n for _ in self.terms]
        for i, (answer, truth) in enumerate(zip(answers, truths)):
            if truth is None:
                continue
            failed = self.gate is not None and not self.gate.passes(answer)
            for t, (term, _) in enumerate(self.terms):
                if failed and term.gated:
                    raw[t][i] = 0.0
                else:
                    v = term.score(answer, truth)
                    if not 0 <= v <= 1:
                        raise AssertionError(f"term {term.name} returned {v} outside [0, 1]")
                    raw[t][i] = v
        combined = raw
        if self.combination != WEIGHTED_MEAN:
            combined = [_normalize_within_groups(r, groups, self.combination) for r in raw]
        total_weight = sum(w for _, w in self.terms)
        totals: List[Optional[float]] = []
        for i in range(n):
            if truths[i] is None:
                totals.append(None)
                continue
            s = 0.0
            for t, (_, w) in enumerate(self.terms):
                s += w * combined[t][i]
            totals.append(s / total_weight)
        breakdown = {
            term.name: [None if math.isnan(v) else v for v in raw[t]]
            for t, (term, _) in enumerate(self.terms)
        }
        return totals, breakdown


def _normalize_within_groups(values: List[float], groups: Sequence[int], how: str) -> List[float]:
    members: Dict[int, List[int]] = {}
    for i, v in enumerate(values):
        if not math.isnan(v):
            members.setdefault(groups[i], []).append(i)
    out = list(values)
    for group in members.values():
        lo = min(values[i] for i in group)
        hi = max(values[i] for i in group)
        mean = 0.0
        for i in group:
            mean += values[i]
        mean /= len(group)
        var = 0.0
        for i in group:
            var += (values[i] - mean) * (values[i] - mean)
        std = math.sqrt(var / len(group))
        for i in group:
            if how == GROUP_MIN_MAX:
                out[i] = (values[i] - lo) / (hi - lo) if hi > lo else 0.0
            else:
                out[i] = (values[i] - mean) / (std + Z_SCORE_EPS)
    return out


def paper_terms(space: IdSpace, k: int, ndcg_weight: float = 0.0,
                combination: str = WEIGHTED_MEAN) -> CompositeReward:
    """The composite ``refine-poi score`` uses: format 1, reciprocal rank 1, soft accuracy 1,
    diversity 0.5, length 0.5 (``CompositeReward.paperTerms``), gated on the strict format
    check, plus NDCG@k with ``ndcg_weight`` (0: reported, not in the total)."""
    terms: List[Tuple[Term, float]] = [
        (FormatReward(k), 1.0),
        (ReciprocalRankReward(k), 1.0),
        (SoftAccuracyReward(space, k), 1.0),
        (DiversityReward(), 0.5),
        (LengthReward(k), 0.5),
        (NdcgReward(k), ndcg_weight),
    ]
    return CompositeReward(terms, gate_k=k, combination=combination)
