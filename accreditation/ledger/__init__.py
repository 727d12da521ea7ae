"""The append-only points ledger: awards, activities with evidence, reversals."""
