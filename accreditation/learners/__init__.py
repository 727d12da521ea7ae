"""One learner as staff see them in the Wagtail admin: found by name, e-mail or BIG number, with
their registers and standing, their points record and certificates, and corrections to it."""
