"""The base: exact money, fiscal periods, text rules and the validated input models."""
