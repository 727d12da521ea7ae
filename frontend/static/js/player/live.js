// The webinar's watch page: a countdown in the waiting room, the live player that joins at the
// live edge with a LIVE badge the moment the stream's playlist is there, catches up at 1.1× when
// it falls behind, and shows "Back to live" when the viewer paused or sought back in the DVR
// window, and the replay once the webinar has ended.
import { presenceSetup } from "./presence.js";
import { questionsSetup } from "./questions.js";
import { LIVE_MAX_LATENCY_SEGMENTS, streamAttach } from "./stream.js";

const root = document.querySelector("[data-live-watch]");
const BEHIND_SECONDS = 8;

function countdown(element, startsAt) {
  const format = new Intl.RelativeTimeFormat(document.documentElement.lang || "nl", { numeric: "auto" });
  const tick = () => {
    const seconds = Math.round((startsAt - Date.now()) / 1000);
    if (seconds <= 0) {
      element.textContent = format.format(0, "second");
      return;
    }
    const hours = Math.floor(seconds / 3600);
    const minutes = Math.floor((seconds % 3600) / 60);
    const rest = seconds % 60;
    element.textContent = hours
      ? `${hours}:${String(minutes).padStart(2, "0")}:${String(rest).padStart(2, "0")}`
      : `${minutes}:${String(rest).padStart(2, "0")}`;
    setTimeout(tick, 1000);
  };
  tick();
}

// A viewer at live who fell behind (a stall, a slow start) catches up by playing a little
// faster, unnoticed; one who paused or sought back in the DVR window stays there and gets
// "Back to live" instead.
const CATCH_UP_RATE = 1.1;
const CATCH_UP_AFTER_TARGETS = 2; // behind the live position by this many target durations
const LIVE_SYNC_TARGETS = 3; // hls.js's liveSyncDurationCount

function livePlayer(video, url) {
  const badge = root.querySelector("[data-live-badge]");
  const edge = root.querySelector("[data-live-edge]");
  const attached = streamAttach(video, url, { live: true, withCookies: true });
  const hls = attached && attached.hls;
  let atLive = true;
  let catchingUp = false;
  // Where a viewer at live plays: hls.js's live position, or (the browser's own HLS) as far
  // behind the end of the window as hls.js keeps by default.
  const liveEdge = () => {
    if (hls) return hls.liveSyncPosition;
    return video.seekable.length ? video.seekable.end(0) - LIVE_SYNC_TARGETS * targetDuration() : null;
  };
  const lag = () => {
    const at = liveEdge();
    return at == null ? 0 : at - video.currentTime;
  };
  const targetDuration = () => {
    const level = hls && hls.levels && hls.levels[hls.currentLevel];
    return (level && level.details && level.details.targetduration) || 2;
  };
  const rate = (value) => {
    if (video.playbackRate !== value) video.playbackRate = value;
  };
  // hls.js pulls a viewer far behind back to live at its next playlist reload: right for one
  // who stalled, wrong for one who paused or sought back in the DVR window on purpose.
  const awayAllow = () => {
    if (hls) hls.config.liveMaxLatencyDurationCount = atLive ? LIVE_MAX_LATENCY_SEGMENTS : Infinity;
  };
  const update = () => {
    awayAllow();
    const behind = lag();
    if (atLive && !video.paused && behind > CATCH_UP_AFTER_TARGETS * targetDuration()) catchingUp = true;
    if (catchingUp && (!atLive || video.paused || behind <= targetDuration() / 4)) {
      catchingUp = false;
      rate(1);
    }
    if (catchingUp) rate(CATCH_UP_RATE);
    const away = !atLive && behind > BEHIND_SECONDS;
    root.dataset.catchingUp = catchingUp ? "true" : "false";
    if (badge) badge.classList.toggle("live-badge--behind", away);
    if (edge) edge.hidden = !away;
  };
  if (edge) {
    edge.addEventListener("click", () => {
      const at = liveEdge();
      atLive = true;
      if (at != null) video.currentTime = at;
      video.play();
    });
  }
  // A seek the viewer makes decides whether they are still at live; hls.js's own seek to the
  // live position on joining lands there.
  video.addEventListener("seeking", () => {
    atLive = lag() < CATCH_UP_AFTER_TARGETS * targetDuration();
    update();
  });
  video.addEventListener("pause", () => {
    atLive = false;
    update();
  });
  video.addEventListener("timeupdate", update);
  if (hls) hls.on(window.Hls.Events.MANIFEST_PARSED, () => video.play().catch(() => {}));
}

// The waiting room asks the stream's own master playlist (storage or the CDN, under the cookie
// the page gave; never the app) every few seconds whether the presenter is on air, and starts
// the player in place: thousands of waiting viewers do not all load the page again at the start.
const ON_AIR_POLL_MS = 3000;
const ON_AIR_JITTER_MS = 2000;
// Without a stream yet (no key issued) the page itself looks again, rarely and spread out.
const NO_STREAM_RELOAD_MS = 30000;

function onAirAwait(url, endsAt, onAir) {
  const look = async () => {
    try {
      const response = await fetch(url, { credentials: "include", cache: "no-store" });
      if (response.ok) return onAir();
    } catch (_offline) {
      // No connection: look again later.
    }
    // Past the planned end with nothing on air (a presenter refused, a webinar called off):
    // the page itself says what happened, looked at rarely and spread out.
    if (Date.now() > endsAt) {
      setTimeout(() => window.location.reload(), NO_STREAM_RELOAD_MS * (1 + Math.random()));
      return;
    }
    setTimeout(look, ON_AIR_POLL_MS + Math.random() * ON_AIR_JITTER_MS);
  };
  setTimeout(look, Math.random() * ON_AIR_JITTER_MS);
}

function whenHlsLoaded(start) {
  if (window.Hls || document.readyState === "complete") start();
  else window.addEventListener("load", start, { once: true });
}

if (root) {
  presenceSetup(root);
  questionsSetup(root);
  const state = root.dataset.state;
  const masterUrl = root.dataset.masterUrl;
  const countdownElement = root.querySelector("[data-countdown]");
  if (state === "waiting" && countdownElement) countdown(countdownElement, Date.parse(root.dataset.startsAt));
  const video = root.querySelector("[data-live-video]");
  if ((state === "waiting" || state === "starting") && video) {
    onAirAwait(masterUrl, Date.parse(root.dataset.endsAt), () => {
      root.querySelector("[data-live-waiting]").hidden = true;
      root.querySelector("[data-live-player]").hidden = false;
      root.dataset.state = "live";
      whenHlsLoaded(() => livePlayer(video, masterUrl));
    });
  } else if (state === "waiting" || state === "starting") {
    setTimeout(() => window.location.reload(), NO_STREAM_RELOAD_MS * (1 + Math.random()));
  } else if (state === "live") {
    whenHlsLoaded(() => livePlayer(video, masterUrl));
  } else if (state === "replay") {
    whenHlsLoaded(() => streamAttach(video, masterUrl, { withCookies: true }));
  }
}
