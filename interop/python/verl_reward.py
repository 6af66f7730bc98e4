"""verl's custom reward file: ``custom_reward_function.path=<this file>``.

verl loads the file by path (not as a package), so this shim puts its own folder on
``sys.path`` and re-exports the package's ``compute_score``. See README.md.
"""

import os
import sys

_HERE = os.path.dirname(os.path.abspath(__file__))
if _HERE not in sys.path:
    sys.path.insert(0, _HERE)

from refine_poi_rewards.adapters import compute_score  # noqa: E402

__all__ = ["compute_score"]
