"""Fixed-window limits for views allauth does not guard (certificate checks, voucher codes),
counted in the shared cache per account and per client address as allauth counts sign-ins."""

from allauth.account.adapter import get_adapter
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured, PermissionDenied


def client_ip(request) -> str:
    """The visitor's address as the sign-in limits see it: behind proxies, from the header or
    the place in X-Forwarded-For that ``TRUSTED_CLIENT_IP_HEADER`` or ``TRUSTED_PROXY_COUNT``
    names. A header that does not fit counts as the proxy's own address, so it limits more."""
    try:
        return get_adapter(request).get_client_ip(request)
    except (ImproperlyConfigured, PermissionDenied):
        return request.META.get("REMOTE_ADDR", "")


def rate_limit_allows(key: str, *, limit: int, seconds: int) -> bool:
    """Count one more hit on ``key``; False once more than ``limit`` fell in this window."""
    key = f"ratelimit:{key}"
    cache.add(key, 0, timeout=seconds)
    try:
        return cache.incr(key) <= limit
    except ValueError:
        # The window ran out between add and incr: this hit starts a new one.
        cache.set(key, 1, timeout=seconds)
        return True
