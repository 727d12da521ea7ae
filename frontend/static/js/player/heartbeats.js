// Heartbeats: every ~10 s while playing, and on pause, seek, end and leaving the page, the
// position and the ranges really played since the last beat. Beats that cannot be sent wait in
// localStorage, in order, and go out first next time (sequence numbers only go up). A beat the
// server answers with 409 means the learner started this episode in another tab or on another
// device: that session counts from now on, and this one pauses until the learner takes it back.

import { csrfToken } from "./util.js";

const QUEUE_KEY = "leerstroom.heartbeats";
const INTERVAL_MS = 10000;

function round(value) {
  return Math.round(value * 10) / 10;
}

function queueRead() {
  try { return JSON.parse(localStorage.getItem(QUEUE_KEY) || "[]"); } catch { return []; }
}

function queueWrite(queue) {
  localStorage.setItem(QUEUE_KEY, JSON.stringify(queue.slice(-500)));
}

export function heartbeatsSetup(player) {
  const { root, video, config, part } = player;
  let session = null;
  let sessionPromise = null;
  let seq = 0;
  let ranges = [];
  let rangeStart = null;
  let lastTime = 0;
  let flushing = false;

  function sessionStart() {
    if (!sessionPromise) {
      sessionPromise = fetch(config.sessionUrl, {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken() },
        body: JSON.stringify({ episode: config.episode }),
      })
        .then((response) => (response.ok ? response.json() : Promise.reject(response)))
        .then((data) => { session = data.session; return session; })
        .catch(() => { sessionPromise = null; return null; });
    }
    return sessionPromise;
  }

  const superseded = part("superseded");
  function supersededShow() {
    session = null;
    sessionPromise = null;
    video.pause();
    rangeStart = null; // played after the other session took over: it counts nowhere
    ranges = [];
    superseded.hidden = false;
  }
  part("watch-here").addEventListener("click", player.play);
  video.addEventListener("play", () => { superseded.hidden = true; });

  function rangeClose() {
    if (rangeStart !== null && lastTime > rangeStart) ranges.push([round(rangeStart), round(lastTime)]);
    rangeStart = null;
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

  // A beat the server could not take now (5xx, 429) is sent again after a growing pause, so
  // the last beat of an episode does not wait for the next page to be stored.
  let retryMs = 2000;
  let retry = null;
  function queueFlushLater() {
    if (retry !== null) return;
    retry = setTimeout(() => { retry = null; queueFlush(); }, retryMs);
    retryMs = Math.min(retryMs * 2, 60000);
  }

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
        if (response.status >= 500 || response.status === 429) {
          queueFlushLater();
          return;
        }
        retryMs = 2000;
        delete root.dataset.offline;
        if (response.status === 409 && queue[0].session === session) supersededShow();
        queue = queueRead().slice(1); // sent (or refused for good: 4xx); either way, next
        queueWrite(queue);
      }
    } finally {
      flushing = false;
    }
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
  video.addEventListener("seeked", () => {
    if (!video.paused) { rangeStart = video.currentTime; lastTime = video.currentTime; }
  });
  video.addEventListener("pause", () => { rangeClose(); beat("pause"); });
  video.addEventListener("ended", () => beat("ended"));
  setInterval(() => { if (!video.paused) beat("interval"); }, INTERVAL_MS);
  document.addEventListener("visibilitychange", () => { if (document.visibilityState === "hidden") beat("hide"); });
  window.addEventListener("pagehide", () => beat("hide"));
  window.addEventListener("online", () => queueFlush());

  queueFlush();
}
