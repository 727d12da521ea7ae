"""Reading ffmpeg's media playlists and writing the ones viewers get."""

import itertools
import math
from dataclasses import dataclass, field

SLIVER_SECONDS = 1.0  # a last segment or I-frame shorter than this joins the one before it


@dataclass
class MediaPlaylist:
    init: str | None = None
    segments: list[tuple[str, float]] = field(default_factory=list)  # (file name, seconds)
    ended: bool = False
    media_sequence: int = 0  # segments that have left the list before the first one listed


def media_playlist_parse(text: str) -> MediaPlaylist:
    playlist = MediaPlaylist()
    duration = None
    for raw in text.splitlines():
        line = raw.strip()
        if line.startswith("#EXT-X-MAP:"):
            playlist.init = line.split('URI="', 1)[1].split('"', 1)[0]
        elif line.startswith("#EXT-X-MEDIA-SEQUENCE:"):
            playlist.media_sequence = int(line.partition(":")[2])
        elif line.startswith("#EXTINF:"):
            duration = float(line[len("#EXTINF:") :].split(",", 1)[0])
        elif line == "#EXT-X-ENDLIST":
            playlist.ended = True
        elif line and not line.startswith("#") and duration is not None:
            playlist.segments.append((line, duration))
            duration = None
    return playlist


def playlist_target_duration(durations: list[float], configured: int) -> int:
    """EXT-X-TARGETDURATION: the set segment length, or the longest segment's rounded to the
    nearest second (RFC 8216 §4.3.3.1): AAC frames make an audio segment of one second last
    1.003 s, which must not make its target two, nor a player's distance to the edge double."""
    return max(configured, math.floor(max(durations, default=0) + 0.5))


def peak_bit_rate(segments: list[tuple[float, int]], *, target_duration: int) -> int:
    """The peak segment bit rate of Apple's authoring spec (and RFC 8216bis), from (seconds,
    bytes) per segment: the highest of any run of consecutive segments lasting 0.5 to 1.5
    times the target duration, its bytes over its seconds, so that no short segment stands
    for a stream on its own. A stream too short for any run: its average."""
    shortest, longest = 0.5 * target_duration, 1.5 * target_duration
    peak = 0.0
    for start in range(len(segments)):
        seconds, bits = 0.0, 0
        for duration, size in itertools.islice(segments, start, None):
            seconds, bits = seconds + duration, bits + size * 8
            if seconds > longest:
                break
            if seconds >= shortest:
                peak = max(peak, bits / seconds)
    if not peak:
        seconds = sum(duration for duration, _size in segments)
        peak = sum(size * 8 for _duration, size in segments) / seconds if seconds else 0
    return math.ceil(peak)


def media_playlist_render(
    *,
    init: str | None,
    segments: list[tuple[str, float]],
    final: bool,
    target_duration: int,
    init_changes: dict[int, str] | None = None,
) -> str:
    """EVENT while segments are still coming, VOD with ENDLIST once the rung is complete.

    ``init_changes`` maps a segment's position to a new initialization section from there on.
    """
    target = playlist_target_duration([s for _name, s in segments], target_duration)
    lines = [
        "#EXTM3U",
        "#EXT-X-VERSION:7",
        f"#EXT-X-TARGETDURATION:{target}",
        "#EXT-X-MEDIA-SEQUENCE:0",
        f"#EXT-X-PLAYLIST-TYPE:{'VOD' if final else 'EVENT'}",
        "#EXT-X-INDEPENDENT-SEGMENTS",
    ]
    if init:
        lines.append(f'#EXT-X-MAP:URI="{init}"')
    for position, (name, seconds) in enumerate(segments):
        if init_changes and position in init_changes:
            lines.append(f'#EXT-X-MAP:URI="{init_changes[position]}"')
        lines += [f"#EXTINF:{seconds:.6f},", name]
    if final:
        lines.append("#EXT-X-ENDLIST")
    return "\n".join(lines) + "\n"


def iframe_playlist_render(iframes: list[tuple[str, str, int, int, float]]) -> str:
    """An I-frame playlist (always complete) from (init, segment, offset, length, seconds) per
    keyframe: each names its bytes within a segment, a new init section where it changes."""
    target = playlist_target_duration([seconds for *_rest, seconds in iframes], 1)
    lines = [
        "#EXTM3U",
        "#EXT-X-VERSION:7",
        f"#EXT-X-TARGETDURATION:{target}",
        "#EXT-X-MEDIA-SEQUENCE:0",
        "#EXT-X-PLAYLIST-TYPE:VOD",
        "#EXT-X-I-FRAMES-ONLY",
        "#EXT-X-INDEPENDENT-SEGMENTS",
    ]
    current_init = None
    for init, segment, offset, length, seconds in iframes:
        if init != current_init:
            lines.append(f'#EXT-X-MAP:URI="{init}"')
            current_init = init
        lines += [f"#EXTINF:{seconds:.6f},", f"#EXT-X-BYTERANGE:{length}@{offset}", segment]
    lines.append("#EXT-X-ENDLIST")
    return "\n".join(lines) + "\n"


@dataclass(frozen=True)
class Variant:
    uri: str
    bandwidth: int
    average_bandwidth: int
    codecs: str
    width: int
    height: int
    frame_rate: float


def master_playlist_render(
    *,
    variants: list[Variant],
    audio_uri: str | None,
    audio_codec: str = "mp4a.40.2",
    iframe_variants: list[Variant] = (),
) -> str:
    """The multivariant playlist with every attribute Apple's authoring spec asks for; I-frame
    streams carry no frame rate and no sound."""
    lines = ["#EXTM3U", "#EXT-X-VERSION:7", "#EXT-X-INDEPENDENT-SEGMENTS"]
    if audio_uri:
        lines.append(
            '#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="audio",NAME="Audio",LANGUAGE="nl",'
            f'DEFAULT=YES,AUTOSELECT=YES,CHANNELS="2",URI="{audio_uri}"'
        )
    for variant in variants:
        codecs = f"{variant.codecs},{audio_codec}" if audio_uri else variant.codecs
        attributes = [
            f"BANDWIDTH={variant.bandwidth}",
            f"AVERAGE-BANDWIDTH={variant.average_bandwidth}",
            f'CODECS="{codecs}"',
            f"RESOLUTION={variant.width}x{variant.height}",
            f"FRAME-RATE={variant.frame_rate:.3f}",
        ]
        if audio_uri:
            attributes.append('AUDIO="audio"')
        lines += ["#EXT-X-STREAM-INF:" + ",".join(attributes), variant.uri]
    for variant in iframe_variants:
        attributes = [
            f"BANDWIDTH={variant.bandwidth}",
            f"AVERAGE-BANDWIDTH={variant.average_bandwidth}",
            f'CODECS="{variant.codecs}"',
            f"RESOLUTION={variant.width}x{variant.height}",
            f'URI="{variant.uri}"',
        ]
        lines.append("#EXT-X-I-FRAME-STREAM-INF:" + ",".join(attributes))
    return "\n".join(lines) + "\n"


def variants_in_preferred_order(
    variants: list[Variant], *, first_kbps: int = 2000
) -> list[Variant]:
    """Players start with the first variant: put the one nearest ~2 Mbit/s first."""
    if not variants:
        return variants
    first = min(variants, key=lambda v: abs(v.average_bandwidth - first_kbps * 1000))
    return [first] + [v for v in variants if v is not first]
