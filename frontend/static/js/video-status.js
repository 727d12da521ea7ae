// Keeps video states and transcoding progress fresh, and starts the preview once playable.
import { streamAttach } from "./player/stream.js";

const POLL_MS = 2000;

function attachPreview(panel, url) {
  const box = panel.querySelector("[data-video-preview]");
  const video = panel.querySelector("[data-video-element]");
  // Attach once: every status answer carries a freshly signed URL for the same stream.
  if (!box || !video || box.dataset.attached) return;
  box.dataset.attached = "true";
  box.hidden = false;
  streamAttach(video, url);
}

function render(element, status) {
  const label = element.querySelector("[data-video-state-label]");
  const bar = element.querySelector("[data-video-progress]");
  const percent = element.querySelector("[data-video-percent]");
  const reason = element.querySelector("[data-video-reason]");
  if (label) label.textContent = status.state_label;
  // Work nobody is doing any more says since when, instead of a percentage that never moves.
  if (bar) {
    bar.value = status.progress;
    bar.hidden = status.final || Boolean(status.stalled);
  }
  if (percent) percent.textContent = status.final ? "" : status.stalled || `${status.progress}%`;
  if (reason) {
    reason.textContent = status.reason;
    reason.hidden = !status.reason;
  }
  if (status.playable && status.master_url && element.hasAttribute("data-video-panel")) {
    attachPreview(element, status.master_url);
  }
}

async function poll(element) {
  try {
    const response = await fetch(element.dataset.videoStatusUrl, { credentials: "same-origin" });
    if (response.ok) {
      const status = await response.json();
      render(element, status);
      if (status.final && !element.hasAttribute("data-video-panel")) return;
      if (status.final) {
        element.dataset.final = "";
        return;
      }
    }
  } catch {
    // a dropped connection: try again on the next tick
  }
  setTimeout(() => poll(element), POLL_MS);
}

for (const element of document.querySelectorAll("[data-video-status-url]")) {
  if (!element.hasAttribute("data-final") || element.hasAttribute("data-video-panel")) {
    poll(element);
  }
}

for (const form of document.querySelectorAll("[data-transcode-again]")) {
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const csrf = form.querySelector("[name=csrfmiddlewaretoken]").value;
    const response = await fetch(form.action, {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrf },
    });
    const panel = form.closest("[data-video-panel]");
    const body = await response.json().catch(() => ({}));
    if (response.ok) {
      render(panel, body);
      setTimeout(() => poll(panel), POLL_MS);
    } else {
      const reason = panel.querySelector("[data-video-reason]");
      reason.textContent = body.error || "";
      reason.hidden = false;
    }
  });
}
