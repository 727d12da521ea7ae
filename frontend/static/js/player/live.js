// The webinar's watch page: a countdown in the waiting room (then the page looks again every
// few seconds until the presenter is on air), the live player that joins at the live edge with a
// LIVE badge, catches up at 1.1× when it falls behind, and shows "Back to live" when the viewer
// paused or sought back in the DVR window, and the replay once the webinar has ended.
import { presenceSetup } from "./presence.js";
import { questionsSetup } from "./questions.js";
import { streamAttach } from "./stream.js";

const root = document.querySelector("[data-live-watch]");
const BEHIND_SECONDS = 8;

function countdown(element, startsAt) {
  const format = new Intl.RelativeTimeFormat(document.documentElement.lang || "nl", { numeric: "auto" });
  const tick = () => {
    const seconds = Math.round((startsAt - Date.now()) / 1000);
    if (seconds <= 0) {
      element.textContent = format.format(0, "second");
      setTimeout(() => window.location.reload(), 5000);
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
  const update = () => {
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

if (root) {
  presenceSetup(root);
  questionsSetup(root);
  const state = root.dataset.state;
  const countdownElement = root.querySelector("[data-countdown]");
  if (state === "waiting" && countdownElement) countdown(countdownElement, Date.parse(root.dataset.startsAt));
  if (state === "starting") setTimeout(() => window.location.reload(), 3000);
  const video = root.querySelector("[data-live-video]");
  const start = () => {
    if (state === "live") livePlayer(video, root.dataset.masterUrl);
    else if (state === "replay") streamAttach(video, root.dataset.masterUrl, { withCookies: true });
  };
  if (video) {
    if (window.Hls || document.readyState === "complete") start();
    else window.addEventListener("load", start, { once: true });
  }
}
