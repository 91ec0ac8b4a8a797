"""Participants: the intake profile and the experience survey, their results, the page's views and figures."""
