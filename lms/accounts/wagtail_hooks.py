from django.urls import reverse
from django.utils.translation import gettext as _
from wagtail import hooks


# The admin's own password form is off (WAGTAIL_PASSWORD_MANAGEMENT_ENABLED): the site's is used.
@hooks.register("register_account_menu_item")
def password_change_menu_item(request):
    return {
        "url": reverse("account_change_password"),
        "label": _("Change your password"),
        "help_text": _("One password for the site and the admin."),
    }


@hooks.register("register_account_menu_item")
def second_factor_menu_item(request):
    return {
        "url": reverse("mfa_index"),
        "label": _("Two-factor authentication and passkeys"),
        "help_text": _("Signing in then also asks for a code from an app, or a passkey."),
    }
