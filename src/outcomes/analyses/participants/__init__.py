"""Participants: the intake profile and the experience survey, their results and figures."""
