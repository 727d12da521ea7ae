// The episode player: hls.js (native HLS on Safari), our own controls, seek previews,
// chapters, keyboard shortcuts, resume, "next episode", and heartbeats that survive going
// offline and closing the tab.

const root = document.querySelector("[data-player]");
const config = JSON.parse(document.getElementById("player-config").textContent);
const video = root.querySelector("video");
const $ = (name) => root.querySelector(`[data-${name}]`);
const strings = JSON.parse(document.getElementById("player-strings").textContent);
const csrf = () => (document.cookie.match(/(?:^|; )csrftoken=([^;]+)/) || [])[1] || "";

// ---- Loading ----------------------------------------------------------------------------

let hls = null;
function load() {
  const start = config.startAt || 0;
  if (window.Hls && window.Hls.isSupported()) {
    hls = new window.Hls({ startPosition: start, capLevelToPlayerSize: true });
    hls.on(window.Hls.Events.MANIFEST_PARSED, () => qualitiesFill());
    hls.on(window.Hls.Events.LEVEL_SWITCHED, () => qualityShow());
    hls.on(window.Hls.Events.ERROR, (_event, data) => {
      if (!data.fatal) return;
      if (data.type === window.Hls.ErrorTypes.NETWORK_ERROR) {
        const status = data.response && data.response.code;
        if (status === 403) return statusShow(strings.expired);
        statusShow(strings.network);
        setTimeout(() => hls.startLoad(), 3000);
      } else if (data.type === window.Hls.ErrorTypes.MEDIA_ERROR) {
        hls.recoverMediaError();
      } else {
        statusShow(strings.failed);
      }
    });
    hls.loadSource(config.master);
    hls.attachMedia(video);
  } else if (video.canPlayType("application/vnd.apple.mpegurl")) {
    video.src = config.master;
    video.addEventListener("loadedmetadata", () => { if (start) video.currentTime = start; }, { once: true });
    $("quality-wrap").hidden = true;
  } else {
    statusShow(strings.unsupported);
  }
}

function statusShow(text) {
  const status = $("status");
  status.textContent = text;
  status.hidden = !text;
}

// ---- Controls ---------------------------------------------------------------------------

const playButton = $("play");
const seek = $("seek");
const timeLabel = $("time");

function clock(seconds) {
  seconds = Math.max(0, Math.floor(seconds || 0));
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = String(seconds % 60).padStart(2, "0");
  return h ? `${h}:${String(m).padStart(2, "0")}:${s}` : `${m}:${s}`;
}

function togglePlay() {
  if (video.paused || video.ended) video.play().catch(() => {});
  else video.pause();
}

function seekTo(seconds) {
  const end = video.duration || config.duration;
  video.currentTime = Math.min(Math.max(0, seconds), Math.max(0, end - 0.1));
}

function playingShow() {
  const playing = !video.paused && !video.ended;
  playButton.setAttribute("aria-label", playing ? strings.pause : strings.play);
  playButton.setAttribute("aria-pressed", String(playing));
  playButton.textContent = playing ? "❚❚" : "▶";
  root.classList.toggle("is-playing", playing);
}

function timeShow() {
  const duration = video.duration || config.duration;
  if (document.activeElement !== seek || !seek.dataset.dragging) seek.value = video.currentTime;
  seek.max = duration;
  seek.setAttribute("aria-valuetext", `${clock(video.currentTime)} / ${clock(duration)}`);
  timeLabel.textContent = `${clock(video.currentTime)} / ${clock(duration)}`;
  chapterShow();
}

playButton.addEventListener("click", togglePlay);
$("big-play").addEventListener("click", togglePlay);
video.addEventListener("click", togglePlay);
video.addEventListener("play", playingShow);
video.addEventListener("pause", playingShow);
video.addEventListener("timeupdate", timeShow);
video.addEventListener("loadedmetadata", timeShow);
seek.addEventListener("input", () => { seek.dataset.dragging = "1"; seekTo(Number(seek.value)); });
seek.addEventListener("change", () => { delete seek.dataset.dragging; });
$("back").addEventListener("click", () => seekTo(video.currentTime - 10));
$("forward").addEventListener("click", () => seekTo(video.currentTime + 10));

const mute = $("mute");
mute.addEventListener("click", () => { video.muted = !video.muted; });
video.addEventListener("volumechange", () => {
  mute.setAttribute("aria-pressed", String(video.muted));
});

const speed = $("speed");
speed.value = localStorage.getItem("leerstroom.speed") || "1";
video.playbackRate = Number(speed.value);
speed.addEventListener("change", () => {
  video.playbackRate = Number(speed.value);
  localStorage.setItem("leerstroom.speed", speed.value);
});
video.addEventListener("ratechange", () => { speed.value = String(video.playbackRate); });

// Quality: automatic by default, or one rung chosen by hand.
const quality = $("quality");
function qualitiesFill() {
  hls.levels.forEach((level, index) => {
    const option = document.createElement("option");
    option.value = String(index);
    option.textContent = level.height ? `${level.height}p` : `${Math.round(level.bitrate / 1000)} kbit/s`;
    quality.append(option);
  });
  quality.value = "-1";
}
function qualityShow() {
  if (!hls) return;
  const level = hls.levels[hls.currentLevel];
  const auto = quality.querySelector('option[value="-1"]');
  auto.textContent = hls.autoLevelEnabled && level ? `${strings.auto} (${level.height}p)` : strings.auto;
  root.dataset.level = level ? String(level.height) : "";
}
quality.addEventListener("change", () => {
  if (!hls) return;
  hls.currentLevel = Number(quality.value); // -1: automatic
  qualityShow();
});

// Captions: the <track> elements, one showing at a time.
const captions = $("captions");
function captionsApply() {
  const language = captions.value;
  for (const track of video.textTracks) {
    track.mode = track.language === language ? "showing" : "disabled";
  }
  localStorage.setItem("leerstroom.captions", language);
}
captions.addEventListener("change", captionsApply);
if (captions.options.length > 1) {
  const remembered = localStorage.getItem("leerstroom.captions");
  if (remembered && [...captions.options].some((o) => o.value === remembered)) captions.value = remembered;
  captionsApply();
} else {
  $("captions-wrap").hidden = true;
}

const pip = $("pip");
if (!document.pictureInPictureEnabled) pip.hidden = true;
pip.addEventListener("click", () => {
  if (document.pictureInPictureElement) document.exitPictureInPicture();
  else video.requestPictureInPicture().catch(() => {});
});

const fullscreen = $("fullscreen");
fullscreen.addEventListener("click", () => {
  if (document.fullscreenElement) document.exitFullscreen();
  else root.requestFullscreen().catch(() => {});
});

// ---- Chapters ---------------------------------------------------------------------------

const chapterLabel = $("chapter");
function chapterShow() {
  let current = null;
  for (const chapter of config.chapters) if (chapter.start <= video.currentTime) current = chapter;
  chapterLabel.textContent = current ? current.title : "";
  document.querySelectorAll("[data-seek-to]").forEach((button) => {
    button.toggleAttribute("aria-current", current !== null && Number(button.dataset.seekTo) === current.start);
  });
}
document.querySelectorAll("[data-seek-to]").forEach((button) => {
  button.addEventListener("click", () => {
    seekTo(Number(button.dataset.seekTo));
    video.play().catch(() => {});
  });
});

// ---- Seek previews ----------------------------------------------------------------------

let thumbnails = [];
if (config.thumbnails) {
  fetch(config.thumbnails, { credentials: "same-origin" })
    .then((response) => (response.ok ? response.text() : ""))
    .then((text) => { thumbnails = thumbnailsParse(text); })
    .catch(() => {});
}

function seconds(stamp) {
  return stamp.split(":").reduce((total, part) => total * 60 + Number(part), 0);
}

function thumbnailsParse(text) {
  const cues = [];
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const match = lines[i].match(/^([\d:.]+) --> ([\d:.]+)/);
    if (!match || !lines[i + 1]) continue;
    const [url, fragment] = lines[i + 1].split("#xywh=");
    if (!fragment) continue;
    const [x, y, w, h] = fragment.split(",").map(Number);
    cues.push({ start: seconds(match[1]), end: seconds(match[2]), url, x, y, w, h });
  }
  return cues;
}

const preview = $("preview");
function previewShow(event) {
  const rect = seek.getBoundingClientRect();
  const share = Math.min(Math.max((event.clientX - rect.left) / rect.width, 0), 1);
  const at = share * (video.duration || config.duration);
  const cue = thumbnails.find((c) => at >= c.start && at < c.end);
  const image = preview.querySelector("[data-preview-image]");
  if (cue) {
    image.style.width = `${cue.w}px`;
    image.style.height = `${cue.h}px`;
    image.style.backgroundImage = `url("${cue.url}")`;
    image.style.backgroundPosition = `-${cue.x}px -${cue.y}px`;
  }
  image.hidden = !cue;
  preview.querySelector("[data-preview-time]").textContent = clock(at);
  preview.style.left = `${share * 100}%`;
  preview.hidden = false;
}
seek.addEventListener("pointermove", previewShow);
seek.addEventListener("pointerleave", () => { preview.hidden = true; });

// ---- Keyboard ---------------------------------------------------------------------------

const shortcuts = {
  " ": togglePlay,
  k: togglePlay,
  ArrowLeft: () => seekTo(video.currentTime - 5),
  ArrowRight: () => seekTo(video.currentTime + 5),
  j: () => seekTo(video.currentTime - 10),
  l: () => seekTo(video.currentTime + 10),
  ArrowUp: () => { video.volume = Math.min(1, video.volume + 0.1); },
  ArrowDown: () => { video.volume = Math.max(0, video.volume - 0.1); },
  m: () => mute.click(),
  f: () => fullscreen.click(),
  c: () => {
    if (captions.options.length < 2) return;
    captions.selectedIndex = (captions.selectedIndex + 1) % captions.options.length;
    captionsApply();
  },
  ">": () => stepSpeed(1),
  "<": () => stepSpeed(-1),
  Home: () => seekTo(0),
  End: () => seekTo(video.duration - 1),
};

function stepSpeed(step) {
  const index = Math.min(Math.max(speed.selectedIndex + step, 0), speed.options.length - 1);
  speed.selectedIndex = index;
  speed.dispatchEvent(new Event("change"));
}

root.addEventListener("keydown", (event) => {
  if (event.ctrlKey || event.metaKey || event.altKey) return;
  const target = event.target;
  const typing = target.matches("select, input:not([type=range]), textarea");
  const onButton = target.matches("button, a") && (event.key === " " || event.key === "Enter");
  const onSlider = target === seek && event.key.startsWith("Arrow");
  if (typing || onButton || onSlider) return;
  const action = shortcuts[event.key] || shortcuts[event.key.toLowerCase()];
  if (!action) return;
  event.preventDefault();
  action();
});

// ---- Next episode -----------------------------------------------------------------------

const autoNext = document.querySelector("[data-autonext]");
if (autoNext) {
  autoNext.checked = localStorage.getItem("leerstroom.autonext") !== "off";
  autoNext.addEventListener("change", () => {
    localStorage.setItem("leerstroom.autonext", autoNext.checked ? "on" : "off");
  });
}
let countdown = null;
video.addEventListener("ended", () => {
  beat("ended");
  if (!config.next) return;
  const panel = $("next");
  panel.hidden = false;
  if (!autoNext || !autoNext.checked) return;
  let left = 8;
  const label = $("countdown");
  label.textContent = String(left);
  countdown = setInterval(() => {
    left -= 1;
    label.textContent = String(left);
    if (left <= 0) {
      clearInterval(countdown);
      window.location.assign(config.next.url);
    }
  }, 1000);
});
$("cancel-next").addEventListener("click", () => {
  clearInterval(countdown);
  $("next").hidden = true;
});
video.addEventListener("play", () => { clearInterval(countdown); $("next").hidden = true; });

// ---- Heartbeats -------------------------------------------------------------------------
// Every ~10 s while playing, and on pause, seek, end and leaving the page: the position and
// the ranges really played since the last beat. Beats that cannot be sent wait in
// localStorage, in order, and go out first next time (sequence numbers only go up).

const QUEUE_KEY = "leerstroom.heartbeats";
let session = null;
let sessionPromise = null;
let seq = 0;
let ranges = [];
let rangeStart = null;
let lastTime = 0;

function sessionStart() {
  if (!sessionPromise) {
    sessionPromise = fetch(config.sessionUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf() },
      body: JSON.stringify({ episode: config.episode }),
    })
      .then((response) => (response.ok ? response.json() : Promise.reject(response)))
      .then((data) => { session = data.session; return session; })
      .catch(() => { sessionPromise = null; return null; });
  }
  return sessionPromise;
}

// The learner started this episode in another tab or on another device: that session counts
// from now on. Pause here; playing again (or the button) starts a session that takes over.
const superseded = $("superseded");
function supersededShow() {
  session = null;
  sessionPromise = null;
  video.pause();
  rangeStart = null; // played after the other session took over: it counts nowhere
  ranges = [];
  superseded.hidden = false;
}
$("watch-here").addEventListener("click", () => video.play().catch(() => {}));
video.addEventListener("play", () => { superseded.hidden = true; });

function rangeClose() {
  if (rangeStart !== null && lastTime > rangeStart) ranges.push([round(rangeStart), round(lastTime)]);
  rangeStart = null;
}

function round(value) {
  return Math.round(value * 10) / 10;
}

video.addEventListener("play", () => { sessionStart(); rangeStart = video.currentTime; lastTime = video.currentTime; });
video.addEventListener("timeupdate", () => {
  if (video.paused || video.seeking) return;
  const now = video.currentTime;
  if (rangeStart === null || now < lastTime || now - lastTime > 2 * video.playbackRate + 1) {
    rangeClose(); // a jump: what follows is a new range
    rangeStart = now;
  }
  lastTime = now;
});
video.addEventListener("seeking", () => { rangeClose(); beat("seek"); });
video.addEventListener("seeked", () => { if (!video.paused) { rangeStart = video.currentTime; lastTime = video.currentTime; } });
video.addEventListener("pause", () => { rangeClose(); beat("pause"); });
setInterval(() => { if (!video.paused) beat("interval"); }, 10000);
document.addEventListener("visibilitychange", () => { if (document.visibilityState === "hidden") beat("hide"); });
window.addEventListener("pagehide", () => beat("hide"));
window.addEventListener("online", () => queueFlush());

function queueRead() {
  try { return JSON.parse(localStorage.getItem(QUEUE_KEY) || "[]"); } catch { return []; }
}
function queueWrite(queue) {
  localStorage.setItem(QUEUE_KEY, JSON.stringify(queue.slice(-500)));
}

function beat(reason) {
  if (!session) return;
  if (!video.paused && rangeStart !== null) {
    rangeClose();
    rangeStart = video.currentTime;
  }
  seq += 1;
  const body = { session, seq, position: round(video.currentTime), ranges };
  ranges = [];
  const queue = queueRead();
  queue.push(body);
  queueWrite(queue);
  if (reason === "hide") {
    // The page may be gone before a fetch finishes; the browser delivers beacons anyway.
    for (const queued of queue) {
      const blob = new Blob([JSON.stringify(queued)], { type: "application/json" });
      if (!navigator.sendBeacon(config.heartbeatUrl, blob)) return;
    }
    queueWrite([]);
    return;
  }
  queueFlush();
}

let flushing = false;
async function queueFlush() {
  if (flushing) return;
  flushing = true;
  try {
    let queue = queueRead();
    while (queue.length) {
      let response;
      try {
        response = await fetch(config.heartbeatUrl, {
          method: "POST",
          credentials: "same-origin",
          keepalive: true,
          headers: { "Content-Type": "application/json" },
          body: JSON.stringify(queue[0]),
        });
      } catch {
        root.dataset.offline = "1";
        return; // offline: keep the queue for later
      }
      if (response.status >= 500 || response.status === 429) return; // try again later
      delete root.dataset.offline;
      if (response.status === 409 && queue[0].session === session) supersededShow();
      queue = queueRead().slice(1); // sent (or refused for good: 4xx); either way, next
      queueWrite(queue);
    }
  } finally {
    flushing = false;
  }
}

queueFlush();
load();
playingShow();
root.dataset.ready = "1";
