"""Refine-POI's ranking rewards for Python RL trainers (TRL, verl), standard library only.

The same rewards as refine-poi-rl's Java classes, checked against them on a golden file:

>>> from refine_poi_rewards import trl_reward, compute_score
>>> reward = trl_reward("export/vocab.json")          # doctest: +SKIP

See README.md for TRL and verl usage.
"""

from .adapters import (
    COMPOSITE,
    TERMS,
    VOCAB_ENV,
    completion_text,
    compute_score,
    load_catalogue,
    score_texts,
    trl_reward,
    trl_term_rewards,
)
from .ids import (
    Catalogue,
    IdFormat,
    IdParseError,
    IdSpace,
    Lattice,
    LatticeTokenFormat,
    RowColumnTokenFormat,
    SemanticId,
)
from .parser import AnswerParser, ParsedAnswer
from .rewards import (
    CompositeReward,
    DiversityReward,
    FormatReward,
    LengthReward,
    NdcgReward,
    ReciprocalRankReward,
    SoftAccuracyReward,
    diversity,
    ndcg,
    paper_terms,
    reciprocal_rank,
)

__version__ = "0.1.0"

__all__ = [
    "COMPOSITE",
    "TERMS",
    "VOCAB_ENV",
    "AnswerParser",
    "Catalogue",
    "CompositeReward",
    "DiversityReward",
    "FormatReward",
    "IdFormat",
    "IdParseError",
    "IdSpace",
    "Lattice",
    "LatticeTokenFormat",
    "LengthReward",
    "NdcgReward",
    "ParsedAnswer",
    "ReciprocalRankReward",
    "RowColumnTokenFormat",
    "SemanticId",
    "SoftAccuracyReward",
    "completion_text",
    "compute_score",
    "diversity",
    "load_catalogue",
    "ndcg",
    "paper_terms",
    "reciprocal_rank",
    "score_texts",
    "trl_reward",
    "trl_term_rewards",
]
