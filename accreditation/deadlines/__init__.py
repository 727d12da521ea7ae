"""Deadlines: the learner's calendar feed and the reminder e-mails before a deadline."""
