"""Statistical disclosure control over linked tables.

The report publishes many numbers about the same young people: counts by
status, group and department, their shares and intervals, totals, and figures
derived from them. One number hidden on its own can often be worked out from
the others by subtraction. This package treats everything a bundle publishes
as a system of linear relations on *base counts* (for the follow-up: people
per year, department and canonical status) and asks, for every number that
is not published, how narrowly the published ones pin it down.

- :mod:`outcomes.sdc.system`: the linear system and the smallest and largest
  value of a hidden cell consistent with it (linear programming with HiGHS).
- :mod:`outcomes.sdc.followup`: what the follow-up tables publish, as
  relations on the base counts, and the protection that hides as little as
  needed (primary suppression, then secondary suppression chosen over the
  whole system).
- :mod:`outcomes.sdc.bundle`: the auditor, which reads a rendered bundle's
  files as an outside reader would and checks every hidden cell.
"""
