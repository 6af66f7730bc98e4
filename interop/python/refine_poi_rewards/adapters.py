"""The rewards in the shapes TRL's ``GRPOTrainer`` and verl's reward managers call.

TRL calls each reward function as ``f(prompts=..., completions=..., completion_ids=...,
**columns)``, where ``columns`` are the dataset's other columns, one value per completion (the
export's ``ground_truth``, ``ground_truth_id``, ...). A completion is a string (standard format)
or a list of messages (conversational format), whose last message's ``content`` is read. A
``None`` reward marks a sample the function does not apply to (no ground truth).

verl calls ``compute_score(data_source, solution_str, ground_truth, extra_info=None)`` once per
response, with ``custom_reward_function.reward_kwargs`` added as keyword arguments.
"""

from __future__ import annotations

import functools
import os
from typing import Any, Callable, List, Mapping, Optional, Sequence, Union

from .ids import Catalogue, SemanticId
from .parser import AnswerParser
from .rewards import CompositeReward, paper_terms

__all__ = [
    "COMPOSITE",
    "TERMS",
    "VOCAB_ENV",
    "load_catalogue",
    "completion_text",
    "trl_reward",
    "trl_term_rewards",
    "compute_score",
    "score_texts",
]

COMPOSITE = "composite"
TERMS = ("format", "reciprocal_rank", "soft_accuracy", "diversity", "length", "ndcg")

VOCAB_ENV = "REFINE_POI_VOCAB"
"""The environment variable naming ``vocab.json`` when no path is passed."""

PathLike = Union[str, "os.PathLike[str]"]


@functools.lru_cache(maxsize=8)
def _cached(path: str) -> Catalogue:
    return Catalogue.load(path)


def load_catalogue(vocab: Union[PathLike, Catalogue, Mapping, None] = None) -> Catalogue:
    """A catalogue from a ``vocab.json`` path (cached), its parsed dict, a catalogue, or the
    path in ``$REFINE_POI_VOCAB``."""
    if isinstance(vocab, Catalogue):
        return vocab
    if isinstance(vocab, Mapping):
        return Catalogue.from_vocab(vocab)
    if vocab is None:
        vocab = os.environ.get(VOCAB_ENV)
        if not vocab:
            raise ValueError(f"no vocab.json given: pass its path or set ${VOCAB_ENV}")
    return _cached(os.path.abspath(os.fspath(vocab)))


def completion_text(completion: Any) -> str:
    """The text of a TRL completion: a string, or a message list whose last message's content
    is read (as ``refine-poi score`` does)."""
    if isinstance(completion, str):
        return completion
    if isinstance(completion, Sequence) and completion:
        last = completion[-1]
        if isinstance(last, Mapping) and isinstance(last.get("content"), str):
            return last["content"]
    raise ValueError(
        "a completion must be a string or a non-empty message list whose last message has a"
        f" string 'content', got {type(completion).__name__}"
    )


def _truth(catalogue: Catalogue, ground_truth: Any, ground_truth_id: Any) -> Optional[SemanticId]:
    by_text = None if ground_truth is None else catalogue.truth(ground_truth)
    by_poi = None
    if ground_truth_id is not None:
        by_poi = catalogue.id_of.get(str(ground_truth_id))
        if by_poi is None:
            raise ValueError(f"ground_truth_id {ground_truth_id!r} is not a POI of the catalogue")
    if by_text is not None and by_poi is not None and by_text != by_poi:
        raise ValueError(
            f"ground_truth {catalogue.format.render(by_text)} disagrees with ground_truth_id's ID"
            f" {catalogue.format.render(by_poi)}"
        )
    return by_text if by_text is not None else by_poi


def score_texts(
    texts: Sequence[str],
    truths: Sequence[Optional[SemanticId]],
    catalogue: Catalogue,
    k: int = 10,
    reward: Optional[CompositeReward] = None,
    groups: Optional[Sequence[int]] = None,
) -> dict:
    """Every term and the composite of a batch: ``{"composite": [...], "format": [...], ...}``
    (``None`` where a sample has no truth)."""
    parser = AnswerParser.for_catalogue(catalogue, k)
    reward = reward if reward is not None else paper_terms(catalogue.space, k)
    answers = [parser.parse(t) for t in texts]
    totals, breakdown = reward.score(answers, list(truths), groups)
    out = {COMPOSITE: totals}
    out.update(breakdown)
    return out


def _column(kwargs: Mapping, name: str, n: int) -> List[Any]:
    values = kwargs.get(name)
    if values is None:
        return [None] * n
    if isinstance(values, (str, bytes)) or not isinstance(values, Sequence):
        raise ValueError(f"column {name!r} must be a list with one value per completion")
    if len(values) != n:
        raise ValueError(f"column {name!r} has {len(values)} values for {n} completions")
    return list(values)


def _make(catalogue: Catalogue, k: int, term: str) -> Callable[..., List[Optional[float]]]:
    if term != COMPOSITE and term not in TERMS:
        raise ValueError(f"unknown term {term!r}: expected {COMPOSITE!r} or one of {TERMS}")
    reward = paper_terms(catalogue.space, k)

    def reward_function(completions: Sequence[Any], **kwargs: Any) -> List[Optional[float]]:
        n = len(completions)
        texts = [completion_text(c) for c in completions]
        gt = _column(kwargs, "ground_truth", n)
        gt_id = _column(kwargs, "ground_truth_id", n)
        truths = [_truth(catalogue, a, b) for a, b in zip(gt, gt_id)]
        return score_texts(texts, truths, catalogue, k, reward)[term]

    reward_function.__name__ = "refine_poi" if term == COMPOSITE else "refine_poi_" + term
    reward_function.__qualname__ = reward_function.__name__
    return reward_function


def trl_reward(vocab: Union[PathLike, Catalogue, Mapping, None] = None, k: int = 10,
               term: str = COMPOSITE) -> Callable[..., List[Optional[float]]]:
    """A TRL reward function: the composite (default) or one term, read from the
    ``ground_truth`` (or ``ground_truth_id``) column of the export's ``trl-*.jsonl``."""
    return _make(load_catalogue(vocab), k, term)


def trl_term_rewards(vocab: Union[PathLike, Catalogue, Mapping, None] = None,
                     k: int = 10) -> List[Callable[..., List[Optional[float]]]]:
    """One TRL reward function per term of the composite, for ``reward_funcs=[...]`` with
    ``GRPOConfig(reward_weights=[1, 1, 1, 0.5, 0.5])``: TRL then logs each term on its own.
    Without NDCG (weight 0 in the composite), in the composite's order."""
    catalogue = load_catalogue(vocab)
    return [_make(catalogue, k, t) for t in TERMS if t != "ndcg"]


def compute_score(
    data_source: str,
    solution_str: str,
    ground_truth: Any,
    extra_info: Optional[Mapping] = None,
    vocab: Union[PathLike, Mapping, None] = None,
    k: int = 10,
    term: str = COMPOSITE,
    **kwargs: Any,
) -> float:
    """verl's custom reward: the composite (or ``term``) of one response.

    ``vocab`` (the export's ``vocab.json``; default ``$REFINE_POI_VOCAB``), ``k`` and ``term``
    come from ``custom_reward_function.reward_kwargs``. ``ground_truth`` is
    ``reward_model.ground_truth`` of the verl file (the rendered semantic ID); when
    ``extra_info`` holds ``ground_truth_id`` it must agree.
    """
    catalogue = load_catalogue(vocab)
    if term != COMPOSITE and term not in TERMS:
        raise ValueError(f"unknown term {term!r}: expected {COMPOSITE!r} or one of {TERMS}")
    gt_id = extra_info.get("ground_truth_id") if isinstance(extra_info, Mapping) else None
    truth = _truth(catalogue, ground_truth, gt_id)
    if truth is None:
        raise ValueError("no ground truth for this response")
    value = score_texts([solution_str], [truth], catalogue, k)[term][0]
    assert value is not None
    return float(value)
