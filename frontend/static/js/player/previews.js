// Seek previews: the thumbnail and time under the pointer on the seek bar, from the video's
// thumbnails WebVTT (sprite sheets with #xywh= fragments).

import { clock, secondsFromStamp } from "./util.js";

export function thumbnailsParse(text) {
  const cues = [];
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const match = lines[i].match(/^([\d:.]+) --> ([\d:.]+)/);
    if (!match || !lines[i + 1]) continue;
    const [url, fragment] = lines[i + 1].split("#xywh=");
    if (!fragment) continue;
    const [x, y, w, h] = fragment.split(",").map(Number);
    cues.push({ start: secondsFromStamp(match[1]), end: secondsFromStamp(match[2]), url, x, y, w, h });
  }
  return cues;
}

export function previewsSetup(player) {
  const { video, config, part } = player;
  const seek = part("seek");
  const preview = part("preview");
  const image = preview.querySelector("[data-preview-image]");
  const time = preview.querySelector("[data-preview-time]");
  let thumbnails = [];

  if (config.thumbnails) {
    fetch(config.thumbnails, { credentials: "same-origin" })
      .then((response) => (response.ok ? response.text() : ""))
      .then((text) => { thumbnails = thumbnailsParse(text); })
      .catch(() => {});
  }

  function previewShow(event) {
    const rect = seek.getBoundingClientRect();
    const share = Math.min(Math.max((event.clientX - rect.left) / rect.width, 0), 1);
    const at = share * (video.duration || config.duration);
    const cue = thumbnails.find((each) => at >= each.start && at < each.end);
    if (cue) {
      image.style.width = `${cue.w}px`;
      image.style.height = `${cue.h}px`;
      image.style.backgroundImage = `url("${cue.url}")`;
      image.style.backgroundPosition = `-${cue.x}px -${cue.y}px`;
    }
    image.hidden = !cue;
    time.textContent = clock(at);
    // Kept inside the player at either end of the bar.
    const half = (cue ? cue.w : 40) / 2;
    const left = Math.min(Math.max(share * rect.width, half), rect.width - half);
    preview.style.left = `${left}px`;
    preview.hidden = false;
  }
  seek.addEventListener("pointermove", previewShow);
  seek.addEventListener("pointerdown", previewShow);
  const previewHide = () => { preview.hidden = true; };
  seek.addEventListener("pointerleave", previewHide);
  seek.addEventListener("pointercancel", previewHide);
  seek.addEventListener("pointerup", (event) => { if (event.pointerType !== "mouse") previewHide(); });
}
