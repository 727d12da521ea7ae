"""A course page's sessions and registration, and the learner's registrations on the dashboard:
the site pulls them from live sessions, which the catalog's pages and accreditation's dashboard
know nothing of (they sit below it)."""

from django import template

from catalog import api as catalog_api
from live import api as live_api

register = template.Library()


@register.inclusion_tag("live/_registration_box.html", takes_context=True)
def course_registration(context, course):
    """The sessions of a webinar or classroom course, each with the learner's place and the
    one button that registers or cancels."""
    request = context["request"]
    return {
        "request": request,
        "csrf_token": context.get("csrf_token"),
        "course": catalog_api.course_event_facts([course.pk]).get(course.pk),
        "sessions": live_api.course_sessions(course_id=course.pk, user=request.user),
        "can_mark": request.user.has_perm("live.mark_presence"),
    }


@register.inclusion_tag("live/_my_registrations.html", takes_context=True)
def my_registrations(context):
    request = context["request"]
    return {
        "request": request,
        "csrf_token": context.get("csrf_token"),
        "registrations": live_api.learner_registrations(user=request.user),
    }
