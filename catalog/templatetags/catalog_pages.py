"""What the catalog's page templates read of the content, cached where every learner reads it
alike (``catalog.selectors``)."""

from django import template

from ..selectors import episode_facts as _episode_facts

register = template.Library()


@register.simple_tag(takes_context=True)
def episode_facts(context, episode):
    """The course, chapters, attachments and next episode of an episode page."""
    return _episode_facts(episode=episode, request=context["request"])
