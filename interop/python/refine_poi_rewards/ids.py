"""Semantic IDs, their lattices, the ID distance and the token formats.

A line-by-line port of refine-poi-core's ``LatticeSpec``, ``IdSpace``, ``SemanticId``,
``LatticeTokenFormat`` and ``RowColumnTokenFormat``: the same arithmetic in the same order, so
distances and similarities agree with the Java side to the last bit or close to it (the golden
test allows 1e-9).
"""

from __future__ import annotations

import json
import math
import os
from dataclasses import dataclass
from typing import Dict, Iterable, List, Mapping, NamedTuple, Optional, Sequence, Tuple, Union

__all__ = [
    "Lattice",
    "IdSpace",
    "SemanticId",
    "IdParseError",
    "IdFormat",
    "LatticeTokenFormat",
    "RowColumnTokenFormat",
    "Catalogue",
    "split_tokens",
    "java_is_whitespace",
    "java_strip",
]

_ROW_HEIGHT_HEX = math.sqrt(3) / 2
_EPS = 1e-9

# Java's Character.isWhitespace: the Unicode space separators except the no-break spaces, the
# line and paragraph separators, and nine ASCII controls. Python's str.isspace also accepts
# U+0085 and the no-break spaces, which Java does not; answers are read exactly as Java reads them.
_JAVA_WHITESPACE = frozenset(
    "\t\n\u000b\u000c\r\u001c\u001d\u001e\u001f"
    " \u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2008\u2009\u200a"
    "\u2028\u2029\u205f\u3000"
)


def java_is_whitespace(ch: str) -> bool:
    """Whether ``ch`` is whitespace by Java's ``Character.isWhitespace``."""
    return ch in _JAVA_WHITESPACE


def java_strip(text: str) -> str:
    """``text`` without leading and trailing Java whitespace (Java's ``String.strip``)."""
    start, end = 0, len(text)
    while start < end and text[start] in _JAVA_WHITESPACE:
        start += 1
    while end > start and text[end - 1] in _JAVA_WHITESPACE:
        end -= 1
    return text[start:end]


@dataclass(frozen=True)
class Lattice:
    """One SOM lattice: rows x cols cells numbered row-major, rectangular or hexagonal.

    Hexagonal lattices are pointy-top with odd rows shifted right by one half and rows
    ``sqrt(3)/2`` apart, so all six neighbours are at distance 1 (as ``LatticeSpec``).
    """

    rows: int
    cols: int
    hexagonal: bool = False
    toroidal: bool = False

    def __post_init__(self) -> None:
        if self.rows < 1 or self.cols < 1:
            raise ValueError(f"lattice needs rows, cols >= 1, got {self.rows}x{self.cols}")
        if self.toroidal and self.hexagonal and self.rows % 2 != 0:
            raise ValueError(f"a hexagonal torus needs an even number of rows, got {self.rows}")

    @property
    def size(self) -> int:
        return self.rows * self.cols

    def _check(self, cell: int) -> None:
        if not 0 <= cell < self.size:
            raise ValueError(f"cell {cell} outside [0, {self.size})")

    def row(self, cell: int) -> int:
        self._check(cell)
        return cell // self.cols

    def col(self, cell: int) -> int:
        self._check(cell)
        return cell % self.cols

    def cell(self, row: int, col: int) -> int:
        if not (0 <= row < self.rows and 0 <= col < self.cols):
            raise ValueError(f"({row}, {col}) outside the {self.rows}x{self.cols} lattice")
        return row * self.cols + col

    def x(self, cell: int) -> float:
        r = self.row(cell)
        shift = 0.5 if self.hexagonal and (r & 1) == 1 else 0.0
        return self.col(cell) + shift

    def y(self, cell: int) -> float:
        return self.row(cell) * _ROW_HEIGHT_HEX if self.hexagonal else float(self.row(cell))

    @property
    def width(self) -> float:
        return float(self.cols)

    @property
    def height(self) -> float:
        return self.rows * _ROW_HEIGHT_HEX if self.hexagonal else float(self.rows)

    def squared_distance(self, a: int, b: int) -> float:
        dx = abs(self.x(a) - self.x(b))
        dy = abs(self.y(a) - self.y(b))
        if self.toroidal:
            dx = min(dx, self.width - dx)
            dy = min(dy, self.height - dy)
        return dx * dx + dy * dy

    def distance(self, a: int, b: int) -> float:
        """Euclidean distance between two cell centres (the shorter way round on a torus)."""
        return math.sqrt(self.squared_distance(a, b))

    def diameter(self) -> float:
        """The largest distance between two cells (as ``LatticeSpec.diameter``)."""
        if not self.hexagonal:
            # Java: int division, rows / 2, on a torus.
            dr = float(self.rows // 2 if self.toroidal else self.rows - 1)
            dc = float(self.cols // 2 if self.toroidal else self.cols - 1)
            return math.sqrt(dr * dr + dc * dc)
        if self.toroidal:
            candidate_rows: Tuple[int, ...] = (0, min(1, self.rows - 1))
            candidate_cols: Tuple[int, ...] = (0,)
        else:
            candidate_rows = (0, min(1, self.rows - 1), max(0, self.rows - 2), self.rows - 1)
            candidate_cols = (0, self.cols - 1)
        best = 0.0
        for r in candidate_rows:
            for c in candidate_cols:
                a = r * self.cols + c
                for b in range(self.size):
                    best = max(best, self.squared_distance(a, b))
        return math.sqrt(best)

    @staticmethod
    def from_json(level: Mapping) -> "Lattice":
        """A lattice from a ``levels`` entry of ``vocab.json``."""
        topology = str(level["topology"]).lower()
        if topology not in ("rectangular", "hexagonal"):
            raise ValueError(f"unknown topology {level['topology']!r}")
        return Lattice(
            int(level["rows"]),
            int(level["cols"]),
            topology == "hexagonal",
            bool(level.get("toroidal", False)),
        )


class SemanticId(NamedTuple):
    """One lattice cell per level (row-major index), then the collision slot."""

    cells: Tuple[int, ...]
    slot: int

    def first_differing_level(self, other: "SemanticId") -> int:
        """-1 when equal, ``len(cells)`` when only the slot differs, else the first level."""
        if len(self.cells) != len(other.cells):
            raise ValueError(
                f"IDs with {len(self.cells)} and {len(other.cells)} levels are not comparable"
            )
        for i, (a, b) in enumerate(zip(self.cells, other.cells)):
            if a != b:
                return i
        return -1 if self.slot == other.slot else len(self.cells)


class IdSpace:
    """The lattices of every level, coarsest first, and the ID distance of ``IdSpace``.

    Two IDs are compared at the first level where they differ: ``offset(l) + lattice distance``
    there, 1 when only the slot differs, 0 when equal; ``offset(L) = 0`` and
    ``offset(l) = offset(l+1) + diameter(l+1)`` with the slot's diameter taken as 1.
    """

    def __init__(self, levels: Sequence[Lattice]):
        if not levels:
            raise ValueError("an ID space needs at least one level")
        self.levels: Tuple[Lattice, ...] = tuple(levels)
        n = len(self.levels)
        self.diameters: Tuple[float, ...] = tuple(lat.diameter() for lat in self.levels)
        offsets = [0.0] * (n + 1)
        for lvl in range(n - 1, -1, -1):
            offsets[lvl] = offsets[lvl + 1] + (self.diameters[lvl + 1] if lvl + 1 < n else 1.0)
        self.offsets: Tuple[float, ...] = tuple(offsets)

    @property
    def level_count(self) -> int:
        return len(self.levels)

    def check_member(self, sid: SemanticId) -> None:
        if len(sid.cells) != self.level_count:
            raise ValueError(
                f"ID {sid} has {len(sid.cells)} levels, this ID space has {self.level_count}"
            )
        for lvl, (cell, lat) in enumerate(zip(sid.cells, self.levels)):
            if not 0 <= cell < lat.size:
                raise ValueError(f"ID {sid}: cell {cell} at level {lvl} is outside the lattice")
        if sid.slot < 0:
            raise ValueError(f"ID {sid}: negative collision slot")

    def distance(self, a: SemanticId, b: SemanticId) -> float:
        level = a.first_differing_level(b)
        if level < 0:
            return 0.0
        if level == self.level_count:
            return 1.0
        return self.offsets[level] + self.levels[level].distance(a.cells[level], b.cells[level])

    def max_distance(self) -> float:
        """The largest distance two IDs of this space can have."""
        return self.offsets[0] + self.diameters[0]


class IdParseError(ValueError):
    """Tokens that are not a well-formed ID; ``token_index`` is the offending one (-1: all)."""

    def __init__(self, token_index: int, message: str):
        super().__init__(message)
        self.token_index = token_index


def split_tokens(text: str) -> List[str]:
    """Splits a rendered ID into its ``<...>`` tokens (as ``IdFormat.splitTokens``)."""
    if not text:
        raise IdParseError(-1, "empty text: expected a semantic ID such as <a_0_0><b_0>")
    tokens: List[str] = []
    pos = 0
    while pos < len(text):
        if text[pos] != "<":
            raise IdParseError(len(tokens), f"character {pos} of {text!r}: expected '<'")
        close = text.find(">", pos + 1)
        next_open = text.find("<", pos + 1)
        if close < 0 or 0 <= next_open < close:
            raise IdParseError(len(tokens), f"character {pos} of {text!r}: token not closed")
        tokens.append(text[pos : close + 1])
        pos = close + 1
    return tokens


def _letter(level: int) -> str:
    return chr(ord("a") + level)


def _width(bound: int) -> int:
    return len(str(max(0, bound - 1)))


def _pad(value: int, width: int) -> str:
    return str(value).rjust(width, "0")


def _all_digits(s: str) -> bool:
    return bool(s) and all("0" <= c <= "9" for c in s)


def _body(tokens: Sequence[str], index: int, letter: str) -> str:
    token = tokens[index]
    prefix = "<" + letter + "_"
    if not token.startswith(prefix) or not token.endswith(">") or len(token) < len(prefix) + 1:
        raise IdParseError(index, f"token {index} {token!r}: expected {prefix}...>")
    return token[len(prefix) : -1]


def _fixed_width(field: str, width: int, bound: int, index: int, label: str) -> int:
    if len(field) != width or not _all_digits(field):
        raise IdParseError(index, f"token {index}: expected the {label} as {width} digit(s)")
    value = int(field)
    if value >= bound:
        raise IdParseError(index, f"token {index}: the {label} is {value}, outside [0, {bound})")
    return value


def _canonical(field: str, index: int) -> int:
    ok = (
        bool(field)
        and len(field) <= 10
        and _all_digits(field)
        and (len(field) == 1 or field[0] != "0")
    )
    value = int(field) if ok else -1
    if not ok or value > 2**31 - 1:
        raise IdParseError(index, f"token {index}: the collision slot {field!r} is not canonical")
    return value


class IdFormat:
    """How IDs are written as ``<...>`` tokens; rendering is canonical and parsing strict."""

    name = ""

    def __init__(self, space: IdSpace):
        if space.level_count > 25:
            raise ValueError("token formats name levels with the letters a..z: at most 25 levels")
        self.space = space
        self.row_width = [_width(lat.rows) for lat in space.levels]
        self.col_width = [_width(lat.cols) for lat in space.levels]

    @property
    def tokens_per_id(self) -> int:
        raise NotImplementedError

    def tokens_of(self, sid: SemanticId) -> List[str]:
        raise NotImplementedError

    def parse_tokens(self, tokens: Sequence[str]) -> SemanticId:
        raise NotImplementedError

    def vocabulary(self, slot_count: int) -> List[str]:
        raise NotImplementedError

    def render(self, sid: SemanticId) -> str:
        return "".join(self.tokens_of(sid))

    def parse(self, text: str) -> SemanticId:
        return self.parse_tokens(split_tokens(text))

    def _slot_token(self, slot: int) -> str:
        return "<" + _letter(self.space.level_count) + "_" + str(slot) + ">"

    def _parse_slot(self, tokens: Sequence[str], index: int) -> int:
        return _canonical(_body(tokens, index, _letter(self.space.level_count)), index)

    def _check_count(self, tokens: Sequence[str]) -> None:
        if len(tokens) != self.tokens_per_id:
            raise IdParseError(-1, f"expected {self.tokens_per_id} tokens, got {len(tokens)}")

    @staticmethod
    def named(name: str, space: IdSpace) -> "IdFormat":
        """The built-in format of a name stored in ``vocab.json`` (``lattice``, ``row-column``)."""
        if name == LatticeTokenFormat.name:
            return LatticeTokenFormat(space)
        if name == RowColumnTokenFormat.name:
            return RowColumnTokenFormat(space)
        raise ValueError(f"unknown ID format {name!r}: expected 'lattice' or 'row-column'")


class LatticeTokenFormat(IdFormat):
    """One ``<x_row_col>`` token per level, then the slot: ``<a_03_12><b_1_2><c_0>``."""

    name = "lattice"

    @property
    def tokens_per_id(self) -> int:
        return self.space.level_count + 1

    def tokens_of(self, sid: SemanticId) -> List[str]:
        self.space.check_member(sid)
        out = []
        for lvl, lat in enumerate(self.space.levels):
            cell = sid.cells[lvl]
            out.append(
                "<%s_%s_%s>"
                % (
                    _letter(lvl),
                    _pad(lat.row(cell), self.row_width[lvl]),
                    _pad(lat.col(cell), self.col_width[lvl]),
                )
            )
        out.append(self._slot_token(sid.slot))
        return out

    def parse_tokens(self, tokens: Sequence[str]) -> SemanticId:
        self._check_count(tokens)
        cells = []
        for lvl, lat in enumerate(self.space.levels):
            body = _body(tokens, lvl, _letter(lvl))
            sep = body.find("_")
            if sep < 0 or body.find("_", sep + 1) >= 0:
                raise IdParseError(lvl, f"token {lvl} {tokens[lvl]!r}: expected row and column")
            row = _fixed_width(body[:sep], self.row_width[lvl], lat.rows, lvl, "row")
            col = _fixed_width(body[sep + 1 :], self.col_width[lvl], lat.cols, lvl, "column")
            cells.append(lat.cell(row, col))
        return SemanticId(tuple(cells), self._parse_slot(tokens, self.space.level_count))

    def vocabulary(self, slot_count: int) -> List[str]:
        out = []
        for lvl, lat in enumerate(self.space.levels):
            for r in range(lat.rows):
                for c in range(lat.cols):
                    out.append(
                        "<%s_%s_%s>"
                        % (_letter(lvl), _pad(r, self.row_width[lvl]), _pad(c, self.col_width[lvl]))
                    )
        out.extend(self._slot_token(s) for s in range(slot_count))
        return out


class RowColumnTokenFormat(IdFormat):
    """Row and column as separate tokens, then the slot: ``<a_r03><a_c12><b_r1><b_c2><c_0>``."""

    name = "row-column"

    @property
    def tokens_per_id(self) -> int:
        return 2 * self.space.level_count + 1

    def tokens_of(self, sid: SemanticId) -> List[str]:
        self.space.check_member(sid)
        out = []
        for lvl, lat in enumerate(self.space.levels):
            cell = sid.cells[lvl]
            out.append("<%s_r%s>" % (_letter(lvl), _pad(lat.row(cell), self.row_width[lvl])))
            out.append("<%s_c%s>" % (_letter(lvl), _pad(lat.col(cell), self.col_width[lvl])))
        out.append(self._slot_token(sid.slot))
        return out

    def _field(self, tokens: Sequence[str], index: int, lvl: int, kind: str, width: int,
               bound: int) -> int:
        body = _body(tokens, index, _letter(lvl))
        if not body or body[0] != kind:
            raise IdParseError(index, f"token {index} {tokens[index]!r}: expected <x_{kind}...>")
        return _fixed_width(body[1:], width, bound, index, kind)

    def parse_tokens(self, tokens: Sequence[str]) -> SemanticId:
        self._check_count(tokens)
        cells = []
        for lvl, lat in enumerate(self.space.levels):
            row = self._field(tokens, 2 * lvl, lvl, "r", self.row_width[lvl], lat.rows)
            col = self._field(tokens, 2 * lvl + 1, lvl, "c", self.col_width[lvl], lat.cols)
            cells.append(lat.cell(row, col))
        return SemanticId(tuple(cells), self._parse_slot(tokens, 2 * self.space.level_count))

    def vocabulary(self, slot_count: int) -> List[str]:
        out = []
        for lvl, lat in enumerate(self.space.levels):
            out.extend("<%s_r%s>" % (_letter(lvl), _pad(r, self.row_width[lvl]))
                       for r in range(lat.rows))
            out.extend("<%s_c%s>" % (_letter(lvl), _pad(c, self.col_width[lvl]))
                       for c in range(lat.cols))
        out.extend(self._slot_token(s) for s in range(slot_count))
        return out


class Catalogue:
    """An export's ID space, token format, token vocabulary and POIs (``vocab.json``).

    ``known`` holds the IDs that name a POI; an answer's ID outside it is invalid, a token outside
    ``tokens`` unknown, as with ``AnswerParser.forIndex`` on the Java side.
    """

    def __init__(self, fmt: IdFormat, tokens: Iterable[str], pois: Mapping[str, SemanticId]):
        self.format = fmt
        self.space = fmt.space
        self.tokens: Tuple[str, ...] = tuple(tokens)
        self.token_set = frozenset(self.tokens)
        if len(self.token_set) != len(self.tokens):
            raise ValueError("the token list repeats a token")
        self.id_of: Dict[str, SemanticId] = dict(pois)
        self.poi_of: Dict[SemanticId, str] = {}
        for poi, sid in self.id_of.items():
            self.space.check_member(sid)
            if sid in self.poi_of:
                raise ValueError(f"ID {fmt.render(sid)} given to two POIs, {self.poi_of[sid]!r} "
                                 f"and {poi!r}")
            self.poi_of[sid] = poi

    @staticmethod
    def from_vocab(vocab: Mapping) -> "Catalogue":
        """A catalogue from the parsed ``vocab.json`` of ``refine-poi export``."""
        space = IdSpace([Lattice.from_json(level) for level in vocab["levels"]])
        fmt = IdFormat.named(str(vocab.get("id_format", LatticeTokenFormat.name)), space)
        tokens = vocab.get("tokens")
        if tokens is None:
            tokens = fmt.vocabulary(int(vocab["slot_count"]))
        pois = {str(p["poi_id"]): fmt.parse(str(p["semantic_id"])) for p in vocab.get("pois", [])}
        return Catalogue(fmt, tokens, pois)

    @staticmethod
    def load(path: Union[str, "os.PathLike[str]"]) -> "Catalogue":
        """Reads ``vocab.json``."""
        with open(path, encoding="utf-8") as f:
            return Catalogue.from_vocab(json.load(f))

    def is_known(self, sid: SemanticId) -> bool:
        return sid in self.poi_of

    def truth(self, value: str) -> SemanticId:
        """A ground truth as the export writes it: a rendered semantic ID, or a POI id.

        Raises ``ValueError`` naming the value when it is neither.
        """
        if not isinstance(value, str):
            raise ValueError(f"ground truth must be a string, got {type(value).__name__}")
        text = java_strip(value)
        if text.startswith("<"):
            try:
                sid = self.format.parse(text)
            except IdParseError as e:
                raise ValueError(f"ground_truth {text!r} is not a semantic ID: {e}") from None
            self.space.check_member(sid)
            return sid
        sid_or_none: Optional[SemanticId] = self.id_of.get(text)
        if sid_or_none is None:
            raise ValueError(
                f"ground_truth {text!r} is neither a semantic ID (<...> tokens) nor a POI of the"
                " catalogue"
            )
        return sid_or_none

