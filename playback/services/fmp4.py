"""Just enough of ISO BMFF to know how long a fragmented-MP4 segment plays."""

import struct
from collections.abc import Iterator

CONTAINERS = {"moov", "trak", "mdia", "mvex", "moof", "traf"}


def _boxes(data: bytes, start: int = 0, end: int | None = None) -> Iterator[tuple[str, bytes]]:
    """(path, body) of every box, depth first; paths look like "moof/traf/trun"."""
    stack = [(start, len(data) if end is None else end, "")]
    while stack:
        offset, end, path = stack.pop()
        children = []
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
            yield name, data[offset + header : offset + size]
            if kind.decode("latin-1") in CONTAINERS:
                children.append((offset + header, offset + size, name))
            offset += size
        stack.extend(reversed(children))


def init_timescales(init: bytes) -> dict[int, tuple[int, int]]:
    """Per track ID: (media timescale, default sample duration from ``trex``)."""
    timescales, track_ids, defaults = [], [], {}
    for path, body in _boxes(init):
        if path.endswith("trak/tkhd"):
            version = body[0]
            track_ids.append(struct.unpack(">I", body[20:24] if version else body[12:16])[0])
        elif path.endswith("mdia/mdhd"):
            version = body[0]
            timescales.append(struct.unpack(">I", body[20:24] if version else body[12:16])[0])
        elif path.endswith("mvex/trex"):
            track, _description, duration = struct.unpack(">III", body[4:16])
            defaults[track] = duration
    return {t: (scale, defaults.get(t, 0)) for t, scale in zip(track_ids, timescales, strict=True)}


def segment_seconds(segment: bytes, init: bytes) -> float:
    """How long a media segment plays: the sum of its sample durations."""
    tracks = init_timescales(init)
    total, track, default_duration = 0.0, None, 0
    for path, body in _boxes(segment):
        if path.endswith("traf/tfhd"):
            flags = int.from_bytes(body[1:4], "big")
            track = struct.unpack(">I", body[4:8])[0]
            position = 8 + (8 if flags & 0x01 else 0) + (4 if flags & 0x02 else 0)
            default_duration = tracks[track][1]
            if flags & 0x08:
                default_duration = struct.unpack(">I", body[position : position + 4])[0]
        elif path.endswith("traf/trun") and track is not None:
            flags = int.from_bytes(body[1:4], "big")
            count = struct.unpack(">I", body[4:8])[0]
            position = 8 + (4 if flags & 0x01 else 0) + (4 if flags & 0x04 else 0)
            per_sample = sum(4 for bit in (0x100, 0x200, 0x400, 0x800) if flags & bit)
            if flags & 0x100:
                ticks = sum(
                    struct.unpack(">I", body[at : at + 4])[0]
                    for at in range(position, position + count * per_sample, per_sample)
                )
            else:
                ticks = count * default_duration
            total += ticks / tracks[track][0]
    return total


def segments_join(first: bytes, second: bytes) -> bytes:
    """Two consecutive media segments as one: the second's boxes after the first's, without
    its own segment type box."""
    size, kind = struct.unpack(">I4s", second[:8])
    return first + (second[size:] if kind == b"styp" else second)
