"""Baseline (null point): indicator files, municipality codes, comparison, positive deviance, results and figures."""
