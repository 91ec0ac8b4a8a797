"""Registries kept as data (YAML with sources): follow-up statuses, cost-benefit
assumptions and the indicator catalogue, each read into typed models."""
