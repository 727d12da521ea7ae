"""Test media generated locally with ffmpeg's lavfi sources (no downloads)."""

import subprocess
from pathlib import Path


def ffmpeg(*arguments: str) -> None:
    subprocess.run(["ffmpeg", "-hide_banner", "-loglevel", "error", "-y", *arguments], check=True)


def lecture_clip(
    path: Path, *, seconds: float, size: str = "1280x720", rate: int = 30, audio: bool = True
) -> Path:
    """A test pattern with a tone: easy for x264, like slides."""
    arguments = ["-f", "lavfi", "-i", f"testsrc2=size={size}:rate={rate}:duration={seconds}"]
    if audio:
        arguments += ["-f", "lavfi", "-i", f"sine=frequency=330:duration={seconds}"]
    arguments += ["-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p"]
    if audio:
        arguments += ["-c:a", "aac", "-shortest"]
    ffmpeg(*arguments, str(path))
    return path


def audio_only(path: Path) -> Path:
    ffmpeg("-f", "lavfi", "-i", "sine=frequency=440:duration=5", "-c:a", "aac", str(path))
    return path


def huge_frame(path: Path) -> Path:
    """A 198 KB file that declares 8192×8192."""
    ffmpeg(
        "-f", "lavfi", "-i", "color=c=blue:s=8192x8192:r=1", "-frames:v", "1",
        "-c:v", "libx264", "-preset", "ultrafast", str(path),
    )  # fmt: skip
    return path


def ten_hours(path: Path) -> Path:
    """A small file that lasts ten hours."""
    ffmpeg(
        "-f", "lavfi", "-i", "color=c=gray:s=64x64:r=1", "-t", "36000",
        "-c:v", "libx264", "-preset", "ultrafast", "-g", "100000", str(path),
    )  # fmt: skip
    return path


def single_frame(path: Path) -> Path:
    """A video stream that lasts one frame: no length to speak of."""
    ffmpeg(
        "-f", "lavfi", "-i", "color=c=black:s=320x240:r=30", "-frames:v", "1",
        "-c:v", "libx264", str(path),
    )  # fmt: skip
    return path


def truncated(source: Path, path: Path) -> Path:
    data = source.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    return path


# A phone in low light: 30 frames a second for two seconds, 10 for the next two, and so on.
VARYING_FRAMES = "select='lt(mod(t\\,4)\\,2)+not(mod(n\\,3))'"


def upright_clip(
    path: Path, *, seconds: int, size: str = "540x960", varying: bool = False, audio: bool = False
) -> Path:
    """The picture as a phone shows it: a test pattern at a steady or a varying frame rate."""
    arguments = ["-f", "lavfi", "-i", f"testsrc2=size={size}:rate=30:duration={seconds}"]
    if audio:
        arguments += ["-f", "lavfi", "-i", f"sine=frequency=330:duration={seconds}"]
    if varying:
        arguments += ["-vf", VARYING_FRAMES, "-fps_mode", "vfr"]
    arguments += ["-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p"]
    ffmpeg(*arguments, *(["-c:a", "aac"] if audio else []), str(path))
    return path


def sideways_clip(upright: Path, path: Path) -> Path:
    """What a phone held upright stores: the picture turned a quarter clockwise, with a tone,
    and a display matrix that tells players to turn it back (ffmpeg 5.1 writes the `rotate`
    tag into the MP4 as a display matrix)."""
    stored = path.with_name(f"{path.stem}-stored.mp4")
    ffmpeg(
        "-i", str(upright), "-f", "lavfi", "-i", "sine=frequency=330",
        "-vf", "transpose=clock", "-fps_mode", "passthrough",
        "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p",
        "-c:a", "aac", "-shortest", str(stored),
    )  # fmt: skip
    ffmpeg("-i", str(stored), "-c", "copy", "-metadata:s:v", "rotate=90", str(path))
    stored.unlink()
    return path
