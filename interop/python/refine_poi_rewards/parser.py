"""Reads a model's ``<think>...</think><answer>...</answer>`` text into a ranked list of IDs.

A port of refine-poi-rl's ``AnswerParser``; the rules (in its Javadoc) in short:

* the first ``<answer>`` block is read up to the next ``</answer>``, which must be there
  (``MISSING_ANSWER_TAG``); the think block is optional; text after ``</answer>`` (an EOS
  marker such as ``<|im_end|>``, a second answer) is ignored;
* separators (Java whitespace, commas, semicolons) are skipped; text that is not a ``<...>``
  token, or a token outside the vocabulary, is one ``UNKNOWN_TOKEN`` entry and ends the ID in
  progress;
* tokens are read ``tokens_per_id`` at a time; a window that does not parse is one
  ``MALFORMED_ID`` entry (a bad stretch counts once) and reading resumes at the offending token;
  leftovers at the end are one malformed entry;
* a well-formed ID that names no known POI is an ``INVALID_ID`` entry;
* no entry at all is ``EMPTY_ANSWER``; more than ``max_items`` entries is ``TOO_MANY_ITEMS``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, List, Optional, Sequence, Tuple

from .ids import Catalogue, IdFormat, IdParseError, SemanticId, java_is_whitespace

__all__ = ["ParsedAnswer", "AnswerParser", "REASONS"]

REASONS = (
    "MISSING_ANSWER_TAG",
    "EMPTY_ANSWER",
    "UNKNOWN_TOKEN",
    "MALFORMED_ID",
    "INVALID_ID",
    "TOO_MANY_ITEMS",
)

_OPEN = "<answer>"
_CLOSE = "</answer>"


@dataclass(frozen=True)
class ParsedAnswer:
    """A model answer read as a ranked list.

    ``items``: the valid IDs in the order written, duplicates kept; ``entry_count``: every entry,
    valid or not; ``answer_found``: whether an answer block was found; ``problems``: (reason,
    detail) pairs, empty for a well-formed answer.
    """

    items: Tuple[SemanticId, ...]
    entry_count: int
    answer_found: bool
    problems: Tuple[Tuple[str, str], ...] = field(default=())

    @property
    def well_formed(self) -> bool:
        return self.answer_found and not self.problems

    def top(self, k: int) -> Tuple[SemanticId, ...]:
        if k < 1:
            raise ValueError(f"k must be >= 1, got {k}")
        return self.items[:k]

    @staticmethod
    def missing(detail: str) -> "ParsedAnswer":
        return ParsedAnswer((), 0, False, (("MISSING_ANSWER_TAG", detail),))

    @staticmethod
    def of(items: Sequence[SemanticId]) -> "ParsedAnswer":
        """A well-formed answer holding exactly these IDs."""
        problems = (("EMPTY_ANSWER", ""),) if not items else ()
        return ParsedAnswer(tuple(items), len(items), True, problems)


def _is_separator(ch: str) -> bool:
    return ch == "," or ch == ";" or java_is_whitespace(ch)


class AnswerParser:
    """A parser for one ID format; ``known`` and ``vocabulary`` as in the Java constructor."""

    def __init__(
        self,
        fmt: IdFormat,
        max_items: int,
        known: Optional[Callable[[SemanticId], bool]] = None,
        vocabulary: Optional[frozenset] = None,
    ):
        if max_items < 1:
            raise ValueError(f"max_items must be >= 1, got {max_items}")
        self.format = fmt
        self.max_items = max_items
        self.known = known if known is not None else (lambda sid: True)
        self.vocabulary = vocabulary

    @staticmethod
    def for_catalogue(catalogue: Catalogue, max_items: int) -> "AnswerParser":
        """Its format and tokens, and only IDs that name a POI (``AnswerParser.forIndex``)."""
        return AnswerParser(catalogue.format, max_items, catalogue.is_known, catalogue.token_set)

    def parse(self, text: str) -> ParsedAnswer:
        """Parses a full model output (think block optional, answer block required)."""
        if not isinstance(text, str):
            raise TypeError(f"completion must be a string, got {type(text).__name__}")
        start = text.find(_OPEN)
        if start < 0:
            return ParsedAnswer.missing("no " + _OPEN + " tag")
        close = text.find(_CLOSE, start + len(_OPEN))
        if close < 0:
            return ParsedAnswer.missing("no " + _CLOSE + " after " + _OPEN)
        return self.parse_list(text[start + len(_OPEN) : close])

    def parse_list(self, body: str) -> ParsedAnswer:
        """Parses the inside of an answer block."""
        c = _Collector(self)
        run: List[str] = []
        i, n = 0, len(body)
        while i < n:
            ch = body[i]
            if _is_separator(ch):
                i += 1
                continue
            bad = None
            if ch == "<":
                close = body.find(">", i)
                next_open = body.find("<", i + 1)
                if close < 0 or 0 <= next_open < close:
                    end = n if next_open < 0 else next_open
                    bad = body[i:end]
                else:
                    end = close + 1
                    token = body[i:end]
                    if self.vocabulary is not None and token not in self.vocabulary:
                        bad = token
                    else:
                        run.append(token)
            else:
                end = i
                while end < n and not _is_separator(body[end]) and body[end] != "<":
                    end += 1
                bad = body[i:end]
            if bad is not None:
                c.read_run(run)
                run = []
                c.problem("UNKNOWN_TOKEN", bad)
            i = end
        c.read_run(run)
        return c.finish()


class _Collector:
    def __init__(self, parser: AnswerParser):
        self.parser = parser
        self.items: List[SemanticId] = []
        self.problems: List[Tuple[str, str]] = []
        self.entries = 0
        self.in_bad_stretch = False

    def problem(self, reason: str, detail: str) -> None:
        self.problems.append((reason, detail))
        self.entries += 1
        self.in_bad_stretch = True

    def malformed(self, detail: str) -> None:
        if not self.in_bad_stretch:
            self.problem("MALFORMED_ID", detail)

    def read_run(self, run: List[str]) -> None:
        fmt = self.parser.format
        width = fmt.tokens_per_id
        i = 0
        while i < len(run):
            if len(run) - i < width:
                self.malformed("".join(run[i:]) + ": an ID cut short")
                return
            window = run[i : i + width]
            try:
                sid = fmt.parse_tokens(window)
            except IdParseError as e:
                self.malformed(str(e))
                i += max(1, e.token_index)
                continue
            i += width
            self.in_bad_stretch = False
            if self.parser.known(sid):
                self.items.append(sid)
                self.entries += 1
            else:
                self.problem("INVALID_ID", "".join(window) + " names no known POI")

    def finish(self) -> ParsedAnswer:
        if self.entries == 0:
            self.problems.append(("EMPTY_ANSWER", "no ID in the answer"))
        if self.entries > self.parser.max_items:
            self.problems.append(
                ("TOO_MANY_ITEMS", f"{self.entries} entries, at most {self.parser.max_items}")
            )
        return ParsedAnswer(tuple(self.items), self.entries, True, tuple(self.problems))
