"""Errors shared by every layer: the one root of a cancellation asked for by the user."""

from __future__ import annotations


class Cancelled(Exception):
    """The user cancelled a long operation (reading, scoring, storing); nothing partial stays."""
