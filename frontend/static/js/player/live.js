// The webinar's watch page: a countdown in the waiting room (then the page looks again every
// few seconds until the presenter is on air), the live player that joins at the live edge with a
// LIVE badge and a "Back to live" button when the viewer paused or sought back in the DVR
// window, and the replay once the webinar has ended.
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

function livePlayer(video, url) {
  const badge = root.querySelector("[data-live-badge]");
  const edge = root.querySelector("[data-live-edge]");
  const attached = streamAttach(video, url, { live: true });
  const hls = attached && attached.hls;
  const liveEdge = () => (hls ? hls.liveSyncPosition : video.seekable.length ? video.seekable.end(0) : null);
  const update = () => {
    const at = liveEdge();
    const behind = at != null && at - video.currentTime > BEHIND_SECONDS;
    if (badge) badge.classList.toggle("live-badge--behind", behind);
    if (edge) edge.hidden = !behind;
  };
  if (edge) {
    edge.addEventListener("click", () => {
      const at = liveEdge();
      if (at != null) video.currentTime = at;
      video.play();
    });
  }
  video.addEventListener("timeupdate", update);
  video.addEventListener("pause", update);
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
    else if (state === "replay") streamAttach(video, root.dataset.masterUrl);
  };
  if (video) {
    if (window.Hls || document.readyState === "complete") start();
    else window.addEventListener("load", start, { once: true });
  }
}
