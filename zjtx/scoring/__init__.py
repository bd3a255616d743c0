"""Rulebooks, the field catalogue and the explainable evaluator (pure; reads only data files)."""
