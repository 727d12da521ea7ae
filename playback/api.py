"""What other apps may use of the playback app.

``video_ready`` is sent (after the transaction commits) when a video's ladder is complete;
receivers get ``video_id`` and ``duration`` (seconds).
"""

from django.dispatch import Signal

video_ready = Signal()

__all__ = ["video_ready"]
