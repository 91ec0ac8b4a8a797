"""The files analysts bring: read as they are, screened for identities, checked
against their data contracts, and accounted for row by row (intake)."""
