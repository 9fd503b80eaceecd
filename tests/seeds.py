"""Where tests find the five source protocols: the copies the project ships in fixtures/.

They are the texts of ../shared/seeds/, kept in the repository so that a checkout without
shared/ beside it (a deployment, a fork) still tests against them.
"""

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "fixtures" / "protocols"
SHARED_SEEDS = ROOT.parent / "shared" / "seeds"
