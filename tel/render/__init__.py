"""Figures, tables, statements and the plan document, drawn from computed data."""
