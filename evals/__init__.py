"""Regression evals for language understanding and the audit skill (deepeval, offline)."""
