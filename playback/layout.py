"""Where a video's files live in storage: one place for the pipeline that writes them, the
delivery that reads them and the clean-up that removes them.

    videos/<uuid>/source/original.<ext>       the upload
    videos/<uuid>/captions/<language>.vtt     subtitles
    videos/<uuid>/parts/<generation>/…        chunks of a long video while workers encode them
    videos/<uuid>/hls/<generation>/           what players fetch:
        master.m3u8, <rung>/index.m3u8 and segments, <rung>/iframes.m3u8 (byte ranges of
        those segments), thumbnails/sprite.jpg and index.vtt
"""

ROOT = "videos"
# Segments are served from these folders only: the transcoded videos', and the live webinars'
# whose recordings are delivered from where they were recorded (Video.recorded_folder).
SERVED_ROOTS = (f"{ROOT}/", "live/")
MASTER_NAME = "master.m3u8"
PLAYLIST_NAME = "index.m3u8"
# A live rung's delta update (RFC 8216bis §6.2.5.1), served for index.m3u8?_HLS_skip=YES|v2.
DELTA_PLAYLIST_NAME = "delta.m3u8"
IFRAMES_NAME = "iframes.m3u8"
THUMBNAILS_SPRITE = "thumbnails/sprite.jpg"
THUMBNAILS_INDEX = "thumbnails/index.vtt"


def video_folder(video_uuid) -> str:
    return f"{ROOT}/{video_uuid}"


def source_key(video_uuid, filename: str) -> str:
    extension = filename.rsplit(".", 1)[-1].lower()[:8] if "." in filename else "bin"
    return f"{video_folder(video_uuid)}/source/original.{extension}"


def caption_key(video_uuid, language: str) -> str:
    return f"{video_folder(video_uuid)}/captions/{language}.vtt"


def hls_prefix(video_uuid, generation: int) -> str:
    return f"{video_folder(video_uuid)}/hls/{generation}"


def parts_prefix(video_uuid, generation: int) -> str:
    return f"{video_folder(video_uuid)}/parts/{generation}"
