"""Gongshi's statistics capability (DOMAIN.md "Statistics"): the figures every agency owes for
every year, computed from the records (withdrawn and expired decisions included), the figures
only an agency's statistics file can give, the people behind them, and the charts that draw
them at build time.

It wires no Pelican signals: the portal's page planner and the exports call these functions.
"""
