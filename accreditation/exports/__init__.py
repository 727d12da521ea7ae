"""Exports: the learner's portfolio and attendance lists for the registers."""
