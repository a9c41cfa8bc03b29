"""Accuracy benchmark: labelled corpora built from real Reuters wire copy (see README.md)."""
