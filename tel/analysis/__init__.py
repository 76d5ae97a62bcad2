"""What-if, sweeps, targets, team aggregates, privacy, provenance and comparison."""
