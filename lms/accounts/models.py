from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from .names import initials_stated


class EmailUserManager(UserManager):
    """Users are known by e-mail address; there are no usernames."""

    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email=None, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email=None, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    username = None
    email = models.EmailField(_("e-mail address"), unique=True)
    # "van", "de", "van der": registers sort on the surname without it.
    surname_prefix = models.CharField(_("tussenvoegsel"), max_length=30, blank=True)
    # Empty: taken from the first name when printed (``initials_stated``).
    initials = models.CharField(_("initials"), max_length=20, blank=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = []

    objects = EmailUserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.UniqueConstraint(Lower("email"), name="accounts_user_email_ci_unique"),
        ]

    def __str__(self) -> str:
        return self.get_full_name() or self.email

    def get_full_name(self) -> str:
        """The name as certificates print it: "Anna van der Berg"."""
        parts = (self.first_name, self.surname_prefix, self.last_name)
        return " ".join(part.strip() for part in parts if part.strip())

    @property
    def has_name(self) -> bool:
        """Whether the learner gave the first name and surname certificates need."""
        return bool(self.first_name.strip() and self.last_name.strip())

    @property
    def public_name(self) -> str:
        """What other people see of this account: the name, never the e-mail address."""
        return self.get_full_name() or str(_("a colleague"))

    @property
    def initials_stated(self) -> str:
        """Initials as registers print them on attendance lists: those the learner entered,
        else those of the first name ("J.M.")."""
        return initials_stated(first_name=self.first_name, entered=self.initials)
