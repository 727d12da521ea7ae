// The settings menu: speed, quality and subtitles. Speed and subtitles are the learner's
// choice on every device: kept on the server (the page brings them along) and in this browser,
// which applies them at once and keeps a choice the server has not heard yet (offline) until it
// has.

import { csrfToken } from "./util.js";

const STORE_KEY = "leerstroom.playback";

export function settingsSetup(player) {
  const { root, video, config, strings, part } = player;
  const button = part("settings");
  const menu = part("settings-menu");
  const speed = part("speed");
  const quality = part("quality");
  const captions = part("captions");

  // ---- The menu ---------------------------------------------------------------------------

  function menuToggle(open) {
    menu.hidden = !open;
    button.setAttribute("aria-expanded", String(open));
    root.dispatchEvent(new CustomEvent("settingstoggle", { detail: { open } }));
  }
  button.addEventListener("click", () => {
    menuToggle(menu.hidden);
    if (!menu.hidden) menu.querySelector("select").focus();
  });
  menu.addEventListener("keydown", (event) => {
    if (event.key !== "Escape") return;
    event.stopPropagation();
    menuToggle(false);
    button.focus();
  });
  document.addEventListener("pointerdown", (event) => {
    if (!menu.hidden && !menu.contains(event.target) && !button.contains(event.target)) menuToggle(false);
  });

  // ---- Remembering choices ----------------------------------------------------------------

  function stored() {
    try {
      const value = JSON.parse(localStorage.getItem(STORE_KEY) || "{}");
      return { unsent: [], ...value };
    } catch {
      return { unsent: [] };
    }
  }
  function store(value) {
    localStorage.setItem(STORE_KEY, JSON.stringify(value));
  }

  // A choice this browser has not managed to send wins; otherwise the server's, which follows
  // the learner from device to device; otherwise what this browser remembers.
  function chosen(name) {
    const local = stored();
    const server = config.preferences ? config.preferences[name] : null;
    if (local.unsent.includes(name) || server === null || server === undefined) return local[name] ?? null;
    return server;
  }

  function remember(changes) {
    const local = stored();
    Object.assign(local, changes);
    local.unsent = [...new Set([...local.unsent, ...Object.keys(changes)])];
    store(local);
    send();
  }

  function send() {
    const local = stored();
    if (!local.unsent.length || !config.preferenceUrl) return;
    const body = Object.fromEntries(local.unsent.map((name) => [name, local[name]]));
    fetch(config.preferenceUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken() },
      body: JSON.stringify(body),
    })
      .then((response) => {
        if (response.status >= 500 || response.status === 429) return; // try again next time
        const now = stored(); // refused for good (4xx) or kept: either way, sent
        now.unsent = now.unsent.filter((name) => now[name] !== body[name]);
        store(now);
      })
      .catch(() => {});
  }

  // ---- Speed ------------------------------------------------------------------------------

  function speedApply(value) {
    speed.value = value;
    // The default rate too: loading a stream resets the rate to it.
    video.defaultPlaybackRate = Number(speed.value);
    video.playbackRate = Number(speed.value);
  }
  speed.addEventListener("change", () => {
    speedApply(speed.value);
    remember({ speed: Number(speed.value) });
  });
  video.addEventListener("ratechange", () => {
    if ([...speed.options].some((option) => Number(option.value) === video.playbackRate)) {
      speed.value = String(video.playbackRate);
    }
  });

  function speedStep(step) {
    const index = Math.min(Math.max(speed.selectedIndex + step, 0), speed.options.length - 1);
    speed.selectedIndex = index;
    speed.dispatchEvent(new Event("change"));
  }

  // ---- Quality: automatic by default, or one rung chosen by hand --------------------------

  let hls = null;
  function qualitiesFill(attached) {
    hls = attached;
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
  function qualityHide() {
    part("quality-wrap").hidden = true;
  }

  // ---- Subtitles --------------------------------------------------------------------------

  function captionsApply() {
    root.dispatchEvent(new CustomEvent("captionschange", { detail: { language: captions.value } }));
  }
  captions.addEventListener("change", () => {
    captionsApply();
    remember({ captions: captions.value });
  });
  function captionsCycle() {
    if (captions.options.length < 2) return;
    captions.selectedIndex = (captions.selectedIndex + 1) % captions.options.length;
    captions.dispatchEvent(new Event("change"));
  }
  if (captions.options.length < 2) part("captions-wrap").hidden = true;

  // What the learner chose before, applied once every part of the player listens.
  function restore() {
    const rate = chosen("speed");
    if (rate !== null && [...speed.options].some((option) => Number(option.value) === Number(rate))) {
      speedApply(String(Number(rate)));
    }
    const language = chosen("captions");
    if (language && [...captions.options].some((option) => option.value === language)) {
      captions.value = language;
    }
    captionsApply();
    send(); // what an earlier visit could not send
  }

  return { qualitiesFill, qualityShow, qualityHide, speedStep, captionsCycle, restore };
}
