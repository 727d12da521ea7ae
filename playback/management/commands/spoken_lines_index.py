from django.core.management.base import BaseCommand

from playback.models import Caption
from playback.spoken_lines import spoken_lines_missing_index, video_spoken_lines_index


class Command(BaseCommand):
    help = (
        "Make the captions' cues searchable (spoken lines) for videos whose captions were saved "
        "before search read them; --all indexes every video with captions again."
    )

    def add_arguments(self, parser):
        parser.add_argument("--all", action="store_true", help="Every video with captions.")

    def handle(self, *args, **options):
        if options["all"]:
            video_ids = sorted(set(Caption.objects.values_list("video_id", flat=True)))
            for video_id in video_ids:
                video_spoken_lines_index(video_id=video_id)
            count = len(video_ids)
        else:
            count = spoken_lines_missing_index()
        self.stdout.write(f"Spoken lines indexed for {count} video(s).")
