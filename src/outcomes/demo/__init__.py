"""Synthetic demo inputs, made deterministically from fixed seeds."""
