"""Reads the golden file written by refine-poi-rl's RewardsGoldenFileTest."""

import json
import os
from pathlib import Path

from refine_poi_rewards import Catalogue

TOLERANCE = 1e-9

_DEFAULT = (
    Path(__file__).resolve().parents[3]
    / "refine-poi-rl" / "src" / "test" / "resources" / "interop" / "rewards-golden.jsonl"
)


def golden_path() -> Path:
    """``$REFINE_POI_GOLDEN``, else the file in the repository's refine-poi-rl test resources."""
    return Path(os.environ.get("REFINE_POI_GOLDEN", str(_DEFAULT)))


def load():
    """``{space name: (header, catalogue, [distance lines], [case lines])}``."""
    spaces = {}
    with open(golden_path(), encoding="utf-8") as f:
        for raw in f:
            if not raw.strip():
                continue
            line = json.loads(raw)
            kind = line["kind"]
            if kind == "space":
                spaces[line["space"]] = (line, Catalogue.from_vocab(line["vocab"]), [], [])
            elif kind == "distance":
                spaces[line["space"]][2].append(line)
            elif kind == "case":
                spaces[line["space"]][3].append(line)
            else:
                raise ValueError(f"unknown line kind {kind!r}")
    return spaces
