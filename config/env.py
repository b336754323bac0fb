"""The one place settings read the process environment.

Every setting that varies between a laptop, CI and production is read through ``env``
with a development-friendly default, so ``make run`` works with no variables at all.
"""

from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()

# A local `.env` file is optional; real deployments pass variables through the environment.
_dotenv = BASE_DIR / ".env"
if _dotenv.exists():
    environ.Env.read_env(str(_dotenv))
