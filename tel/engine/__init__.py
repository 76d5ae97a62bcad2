"""The rules in order: one quarter, the ledger that carries balances, the fiscal year."""
