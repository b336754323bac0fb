"""Benchmark harness (``make bench``): runs outside the test suite against its own database."""
