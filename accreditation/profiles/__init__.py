"""The learner's professional profile: name, profession, BIG number and registers."""
