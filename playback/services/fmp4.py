"""Just enough of ISO BMFF to know how long a fragmented-MP4 segment plays and where its
keyframes are."""

import dataclasses
import struct
from collections.abc import Iterator
from dataclasses import dataclass

CONTAINERS = {"moov", "trak", "mdia", "mvex", "moof", "traf"}
NON_SYNC_SAMPLE = 0x10000  # sample_is_non_sync_sample in the sample flags


@dataclass(frozen=True)
class Track:
    timescale: int
    duration: int = 0  # the defaults of its ``trex``
    size: int = 0
    flags: int = 0


@dataclass(frozen=True)
class Fragment:
    offset: int  # where its ``moof`` starts in the segment
    track: int
    data_start: int  # where its first sample's data starts in the segment
    samples: list[tuple[int, int, int]]  # (duration, size, flags)


@dataclass(frozen=True)
class KeyFrame:
    """A keyframe as an I-frame playlist names it: the bytes of its fragment's ``moof``
    through the end of the frame's data, and how long it stands (until the next one)."""

    offset: int
    length: int
    seconds: float


Box = tuple[str, int, int, bytes]  # path ("moof/traf/trun"), start, end, body


def _boxes(data: bytes) -> Iterator[Box]:
    """Every box, in file order."""
    yield from _walk(data, 0, len(data), "")


def _walk(data: bytes, offset: int, end: int, path: str) -> Iterator[Box]:
    while offset + 8 <= end:
        size, kind = struct.unpack(">I4s", data[offset : offset + 8])
        header = 8
        if size == 1:
            size = struct.unpack(">Q", data[offset + 8 : offset + 16])[0]
            header = 16
        elif size == 0:
            size = end - offset
        if size < header:
            raise ValueError("malformed box")
        name = f"{path}/{kind.decode('latin-1')}".lstrip("/")
        yield name, offset, offset + size, data[offset + header : offset + size]
        if kind.decode("latin-1") in CONTAINERS:
            yield from _walk(data, offset + header, offset + size, name)
        offset += size


def init_tracks(init: bytes) -> dict[int, Track]:
    """Per track ID: its media timescale and its ``trex`` sample defaults."""
    timescales, track_ids, defaults = [], [], {}
    for path, _start, _end, body in _boxes(init):
        if path.endswith("trak/tkhd"):
            version = body[0]
            track_ids.append(struct.unpack(">I", body[20:24] if version else body[12:16])[0])
        elif path.endswith("mdia/mdhd"):
            version = body[0]
            timescales.append(struct.unpack(">I", body[20:24] if version else body[12:16])[0])
        elif path.endswith("mvex/trex"):
            track, _description, duration, size, flags = struct.unpack(">IIIII", body[4:24])
            defaults[track] = (duration, size, flags)
    return {
        track: Track(scale, *defaults.get(track, (0, 0, 0)))
        for track, scale in zip(track_ids, timescales, strict=True)
    }


def fragments(segment: bytes, tracks: dict[int, Track]) -> Iterator[Fragment]:
    """Every track run of every fragment, with its samples' durations, sizes and flags."""
    moof, track, base, defaults = 0, None, 0, Track(1)
    for path, start, _end, body in _boxes(segment):
        if path == "moof":
            moof = start
        elif path == "moof/traf/tfhd":
            flags = int.from_bytes(body[1:4], "big")
            track = struct.unpack(">I", body[4:8])[0]
            position, base = 8, moof  # default-base-is-moof, as CMAF has it
            if flags & 0x01:
                base = struct.unpack(">Q", body[8:16])[0]
                position += 8
            position += 4 if flags & 0x02 else 0
            values = {}
            for bit, field in ((0x08, "duration"), (0x10, "size"), (0x20, "flags")):
                if flags & bit:
                    values[field] = struct.unpack(">I", body[position : position + 4])[0]
                    position += 4
            defaults = dataclasses.replace(tracks[track], **values)
        elif path == "moof/traf/trun" and track is not None:
            yield _run(body, moof, track, base, defaults)


def _run(body: bytes, moof: int, track: int, base: int, defaults: Track) -> Fragment:
    flags = int.from_bytes(body[1:4], "big")
    count = struct.unpack(">I", body[4:8])[0]
    position, data_offset, first_flags = 8, 0, None
    if flags & 0x01:
        data_offset = struct.unpack(">i", body[8:12])[0]
        position += 4
    if flags & 0x04:
        first_flags = struct.unpack(">I", body[position : position + 4])[0]
        position += 4
    samples = []
    for index in range(count):
        sample = [defaults.duration, defaults.size, defaults.flags]
        for slot, bit in enumerate((0x100, 0x200, 0x400)):
            if flags & bit:
                sample[slot] = struct.unpack(">I", body[position : position + 4])[0]
                position += 4
        position += 4 if flags & 0x800 else 0  # composition time offset
        if index == 0 and first_flags is not None:
            sample[2] = first_flags
        samples.append((sample[0], sample[1], sample[2]))
    return Fragment(offset=moof, track=track, data_start=base + data_offset, samples=samples)


def segment_seconds(segment: bytes, init: bytes) -> float:
    """How long a media segment plays: the sum of its sample durations."""
    tracks = init_tracks(init)
    return sum(
        sum(duration for duration, _size, _flags in fragment.samples)
        / tracks[fragment.track].timescale
        for fragment in fragments(segment, tracks)
    )


def keyframes(segment: bytes, init: bytes) -> list[KeyFrame]:
    """The keyframe each fragment starts with (a fragment that starts otherwise lengthens the
    keyframe before it): ffmpeg starts a fragment at every keyframe (``frag_keyframe``)."""
    tracks = init_tracks(init)
    found: list[KeyFrame] = []
    for fragment in fragments(segment, tracks):
        seconds = sum(d for d, _s, _f in fragment.samples) / tracks[fragment.track].timescale
        first = fragment.samples[0] if fragment.samples else None
        if first and not first[2] & NON_SYNC_SAMPLE:
            length = fragment.data_start + first[1] - fragment.offset
            found.append(KeyFrame(fragment.offset, length, seconds))
        elif found:
            last = found[-1]
            found[-1] = KeyFrame(last.offset, last.length, last.seconds + seconds)
    return found


def init_split(init: bytes) -> tuple[bytes, bytes]:
    """An initialization section as written (``ftyp``, ``moov``) and any fragments after it.

    ffmpeg 5.1's HLS muxer writes the fragments the MP4 muxer finished before the first
    segment ended (one per keyframe) into the init file; they belong to that segment.
    """
    end = next((end for path, _start, end, _body in _boxes(init) if path == "moov"), None)
    return (init, b"") if end is None else (init[:end], init[end:])


def segments_join(first: bytes, second: bytes) -> bytes:
    """Two consecutive media segments as one: the second's boxes after the first's, without
    its own segment type box."""
    size, kind = struct.unpack(">I4s", second[:8])
    return first + (second[size:] if kind == b"styp" else second)


def fragments_prepend(segment: bytes, fragments: bytes) -> bytes:
    """A media segment with fragments put before its own, after its segment type box."""
    size, kind = struct.unpack(">I4s", segment[:8])
    head = segment[:size] if kind == b"styp" else b""
    return head + fragments + segment[len(head) :]
