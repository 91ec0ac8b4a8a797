"""The report runner: check inputs, run each section's notebook, audit and
publish the bundle atomically; the result cache and last year's bundle."""
