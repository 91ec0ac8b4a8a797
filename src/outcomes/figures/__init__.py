"""Plotly figure builders, one module per analysis; labels are passed in so text comes from the translation catalogue."""
