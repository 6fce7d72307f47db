"""Lägesbild: a shared situation picture for municipal safety work."""

__version__ = "0.1.0"
