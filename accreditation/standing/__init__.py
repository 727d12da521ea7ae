"""A learner's standing per register and the page that shows it."""
