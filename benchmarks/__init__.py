"""Benchmarks: a generated news corpus and the speed harness (see README.md here)."""
