"""BIG work hours: the learner's log and the re-registration decision."""
