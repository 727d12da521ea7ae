"""The live benchmark's measuring viewer and encoder meter: hls.js in headless Chromium on the
watch page, reporting latency (now − ``playingDate``) every second and counting stalls, and
the live encoder's CPU read from /proc while it runs."""

import os
import threading
import time
from pathlib import Path

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-quic",
    "--no-first-run",
    "--disable-component-update",
    "--disable-sync",
    "--autoplay-policy=no-user-gesture-required",
    "--mute-audio",
]
# Playback starts, the buffer fills: stalls count only after this many seconds of playing.
SETTLE_SECONDS = 10.0
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")

# The page makes its own Hls; this keeps a hold of it (and counts stalls) without changing
# the page: window.Hls is wrapped as hls.js assigns it.
_OBSERVE = """
window.__bench = { stalls: [], playingAt: null };
let tracked;
Object.defineProperty(window, "Hls", {
  configurable: true,
  get() { return tracked; },
  set(Real) {
    tracked = class extends Real {
      constructor(config) {
        super(config);
        window.__benchHls = this;
        this.on(Real.Events.ERROR, (_event, data) => {
          const stalled = data.details === "bufferStalledError";
          if (stalled) window.__bench.stalls.push(["hls", Date.now()]);
        });
      }
    };
  },
});
document.addEventListener("playing", () => { window.__bench.playingAt ??= Date.now(); }, true);
const stall = () => window.__bench.stalls.push(["waiting", Date.now()]);
document.addEventListener("waiting", stall, true);
"""
_SAMPLE = """() => {
  const hls = window.__benchHls, video = document.querySelector("video");
  const date = hls && hls.playingDate;
  const level = hls && hls.levels && hls.levels[hls.currentLevel];
  return {
    now: Date.now(),
    playing: date ? date.getTime() : null,
    paused: video ? video.paused : null,
    height: level ? level.height : null,
    playingAt: window.__bench.playingAt,
    stalls: window.__bench.stalls,
  };
}"""


class BrowserViewer(threading.Thread):
    """One signed-in viewer's Chromium on the watch page until ``stop`` is set."""

    def __init__(self, *, base_url: str, host: str, session_key: str, watch_path: str):
        super().__init__(daemon=True)
        self.base_url, self.host, self.session_key = base_url, host, session_key
        self.watch_path = watch_path
        self.stop = threading.Event()
        self.latencies: list[float] = []
        self.samples: list[dict] = []
        self.problem = ""
        self.browser_pid: int | None = None

    def run(self) -> None:
        from playwright.sync_api import sync_playwright

        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(
                    executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
                )
                self.browser_pid = _newest_chromium()
                context = browser.new_context(
                    viewport={"width": 640, "height": 360},
                    # As behind the TLS-terminating load balancer the production settings expect.
                    extra_http_headers={"X-Forwarded-Proto": "https"},
                )
                context.add_cookies(
                    [{"name": "sessionid", "value": self.session_key, "url": self.base_url}]
                )
                page = context.new_page()
                page.add_init_script(_OBSERVE)
                page.goto(self.base_url + self.watch_path, wait_until="load")
                while not self.stop.wait(1.0):
                    sample = page.evaluate(_SAMPLE)
                    self.samples.append(sample)
                    if sample["playing"] and not sample["paused"]:
                        self.latencies.append((sample["now"] - sample["playing"]) / 1000)
                browser.close()
        except Exception as error:  # reported in the figures, the load still measured
            self.problem = f"{type(error).__name__}: {error}"[:300]

    def stalls(self) -> int:
        """Stalls after the first SETTLE_SECONDS of playing (a 'waiting' event or hls.js's
        bufferStalledError, each at most once per second)."""
        if not self.samples or not self.samples[-1]["playingAt"]:
            return 0
        settled = self.samples[-1]["playingAt"] + SETTLE_SECONDS * 1000
        seconds = {at // 1000 for _kind, at in self.samples[-1]["stalls"] if at > settled}
        return len(seconds)

    def rung_heights(self) -> list[int]:
        return sorted({sample["height"] for sample in self.samples if sample["height"]})


def _newest_chromium() -> int | None:
    found = []
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            try:
                stat = Path(entry.path, "stat").read_text()
            except OSError:
                continue
            if "(chromium" in stat:
                found.append((int(stat.rpartition(")")[2].split()[19]), int(entry.name)))
    return max(found)[1] if found else None


class EncoderMeter(threading.Thread):
    """The CPU of the supervisor's ffmpeg children (the live encoders), sampled every half
    second while they run: ffmpeg exits at the end of the publish, taking its counters along."""

    def __init__(self, supervisor_pid: int):
        super().__init__(daemon=True)
        self.supervisor_pid = supervisor_pid
        self.stop = threading.Event()
        self.ticks: dict[int, int] = {}
        self.seen: dict[int, tuple[float, float]] = {}

    def run(self) -> None:
        while not self.stop.wait(0.5):
            now = time.monotonic()
            for entry in os.scandir("/proc"):
                if not entry.name.isdigit():
                    continue
                try:
                    stat = Path(entry.path, "stat").read_text()
                except OSError:
                    continue
                command = stat[stat.index("(") + 1 : stat.rindex(")")]
                fields = stat.rpartition(")")[2].split()
                if command != "ffmpeg" or int(fields[1]) != self.supervisor_pid:
                    continue
                pid = int(entry.name)
                self.ticks[pid] = int(fields[11]) + int(fields[12])
                first, _last = self.seen.get(pid, (now, now))
                self.seen[pid] = (first, now)

    def cores(self) -> float | None:
        wall = sum(last - first for first, last in self.seen.values())
        if wall <= 0:
            return None
        return round(sum(self.ticks.values()) / CLOCK_TICKS / wall, 2)
