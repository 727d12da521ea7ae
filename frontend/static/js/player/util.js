// Small helpers the player's modules share.

export function clock(seconds) {
  seconds = Math.max(0, Math.floor(seconds || 0));
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = String(seconds % 60).padStart(2, "0");
  return h ? `${h}:${String(m).padStart(2, "0")}:${s}` : `${m}:${s}`;
}

// "01:02:03.500" or "02:03.500" in seconds.
export function secondsFromStamp(stamp) {
  return stamp.split(":").reduce((total, part) => total * 60 + Number(part), 0);
}

export function csrfToken() {
  return (document.cookie.match(/(?:^|; )csrftoken=([^;]+)/) || [])[1] || "";
}

// A JSON POST to this site, as the live page's modules send them (presence, questions).
export function postJson(url, body) {
  return fetch(url, {
    method: "POST",
    credentials: "same-origin",
    headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken() },
    body: JSON.stringify(body || {}),
  });
}

// Touch screens without a mouse: no hover, no keyboard shortcuts to show.
export const touchOnly = window.matchMedia("(hover: none)");

export const reducedMotion = window.matchMedia("(prefers-reduced-motion: reduce)");
