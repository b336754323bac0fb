"""Health-review tests reuse the programs' worlds: a running TB-screening program and its fund."""

from tests.programs.conftest import fw, pw  # noqa: F401
