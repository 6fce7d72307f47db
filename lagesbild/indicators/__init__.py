"""Indicators toward the effect goal: readings (numbers, statuses) and wording (the same in words)."""
