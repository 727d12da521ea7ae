from wagtail import hooks

from .viewsets import video_chooser_viewset, video_viewset


@hooks.register("register_admin_viewset")
def register_video_viewsets():
    return [video_viewset, video_chooser_viewset]
