// The control bar: play, seek, time, ±10 s, sound, picture in picture, full screen; and when
// the controls step aside during playback. They hide a few seconds after the last movement,
// tap or key, but never while paused, while a menu is open, while the mouse rests on them or
// while the keyboard is in them. A tap on the picture brings them back (or hides them); a
// click with the mouse plays or pauses.

import { clock, reducedMotion, touchOnly } from "./util.js";

const IDLE_MS = 3000;
const IDLE_AFTER_LEAVING_MS = 800;

export function controlsSetup(player) {
  const { root, video, config, strings, part } = player;
  const controls = part("controls");
  const playButton = part("play");
  const seek = part("seek");
  const timeCurrent = part("time-current");
  const timeTotal = part("time-total");

  // ---- Play, seek, time -------------------------------------------------------------------

  function playingShow() {
    const playing = !video.paused && !video.ended;
    playButton.setAttribute("aria-label", playing ? strings.pause : strings.play);
    root.classList.toggle("is-playing", playing);
    controlsShow();
  }

  function playedShow() {
    const share = seek.max > 0 ? (Number(seek.value) / Number(seek.max)) * 100 : 0;
    seek.style.setProperty("--played", `${share}%`);
  }

  function timeShow() {
    const duration = video.duration || config.duration;
    seek.max = duration;
    if (!seek.dataset.dragging) seek.value = video.currentTime;
    playedShow();
    const spoken = `${clock(video.currentTime)} / ${clock(duration)}`;
    seek.setAttribute("aria-valuetext", spoken);
    timeCurrent.textContent = clock(video.currentTime);
    timeTotal.textContent = clock(duration);
  }

  playButton.addEventListener("click", player.togglePlay);
  part("big-play").addEventListener("click", player.togglePlay);
  video.addEventListener("play", playingShow);
  video.addEventListener("pause", playingShow);
  video.addEventListener("ended", playingShow);
  video.addEventListener("timeupdate", timeShow);
  video.addEventListener("loadedmetadata", timeShow);
  seek.addEventListener("input", () => {
    seek.dataset.dragging = "1";
    playedShow();
    player.seekTo(Number(seek.value));
  });
  seek.addEventListener("change", () => { delete seek.dataset.dragging; });
  part("back").addEventListener("click", () => player.seekTo(video.currentTime - 10));
  part("forward").addEventListener("click", () => player.seekTo(video.currentTime + 10));

  // ---- Sound, picture in picture, full screen ---------------------------------------------

  const mute = part("mute");
  mute.addEventListener("click", () => { video.muted = !video.muted; });
  video.addEventListener("volumechange", () => {
    mute.setAttribute("aria-pressed", String(video.muted));
  });

  const pip = part("pip");
  if (!document.pictureInPictureEnabled) pip.hidden = true;
  pip.addEventListener("click", () => {
    if (document.pictureInPictureElement) document.exitPictureInPicture();
    else video.requestPictureInPicture().catch(() => {});
  });

  const fullscreen = part("fullscreen");
  fullscreen.addEventListener("click", fullscreenToggle);
  document.addEventListener("fullscreenchange", () => {
    const on = document.fullscreenElement === root;
    root.classList.toggle("is-fullscreen", on);
    fullscreen.setAttribute("aria-label", on ? strings.fullscreenExit : strings.fullscreen);
    if (!on && screen.orientation && screen.orientation.unlock) {
      try { screen.orientation.unlock(); } catch { /* not locked */ }
    }
  });

  async function fullscreenToggle() {
    if (document.fullscreenElement) {
      document.exitFullscreen().catch(() => {});
    } else if (root.requestFullscreen) {
      try {
        await root.requestFullscreen({ navigationUI: "hide" });
      } catch {
        return;
      }
      landscapeLock();
    } else if (video.webkitEnterFullscreen) {
      video.webkitEnterFullscreen(); // iPhone: only the video itself goes full screen
    }
  }

  // A phone held upright shows a wide lecture sideways in full screen, as video apps do.
  function landscapeLock() {
    const wide = !video.videoHeight || video.videoWidth >= video.videoHeight;
    if (touchOnly.matches && wide && screen.orientation && screen.orientation.lock) {
      screen.orientation.lock("landscape").catch(() => {});
    }
  }

  // A phone held sideways (not in full screen): playing brings the whole picture into view.
  const landscape = window.matchMedia("(orientation: landscape)");
  function pictureInView() {
    if (landscape.matches && touchOnly.matches && !video.paused && !document.fullscreenElement) {
      root.scrollIntoView({ block: "nearest", behavior: reducedMotion.matches ? "auto" : "smooth" });
    }
  }
  landscape.addEventListener("change", pictureInView);
  video.addEventListener("play", pictureInView);

  // ---- Showing and hiding the controls ----------------------------------------------------

  let idleTimer = null;
  let pointerKind = "mouse";
  let pointerOnControls = false;

  function mustStay() {
    const focused = document.activeElement;
    const keyboardInControls = controls.contains(focused) && focused.matches(":focus-visible");
    const menuOpen = root.querySelector("[data-settings-menu]:not([hidden])") !== null;
    return video.paused || video.ended || menuOpen || pointerOnControls || keyboardInControls;
  }

  function controlsHideLater(delay) {
    clearTimeout(idleTimer);
    idleTimer = setTimeout(() => {
      if (mustStay()) controlsHideLater(IDLE_MS);
      else root.classList.add("is-idle");
    }, delay);
  }

  function controlsShow() {
    root.classList.remove("is-idle");
    controlsHideLater(IDLE_MS);
  }

  function controlsHide() {
    clearTimeout(idleTimer);
    if (!mustStay()) root.classList.add("is-idle");
  }

  root.addEventListener("pointerdown", (event) => { pointerKind = event.pointerType; }, { capture: true });
  root.addEventListener("pointermove", (event) => { if (event.pointerType === "mouse") controlsShow(); });
  root.addEventListener("pointerleave", (event) => {
    if (event.pointerType === "mouse") controlsHideLater(IDLE_AFTER_LEAVING_MS);
  });
  controls.addEventListener("pointerenter", (event) => { pointerOnControls = event.pointerType === "mouse"; });
  controls.addEventListener("pointerleave", () => { pointerOnControls = false; });
  root.addEventListener("keydown", controlsShow);
  root.addEventListener("focusin", controlsShow);
  root.addEventListener("settingstoggle", controlsShow);

  // A tap on the picture shows or hides the controls while playing (a tap that meant "pause"
  // would otherwise stop the lecture whenever the learner only wanted to see the time).
  video.addEventListener("click", () => {
    const touch = pointerKind === "touch" || pointerKind === "pen";
    if (!touch || video.paused) {
      player.togglePlay();
    } else if (root.classList.contains("is-idle")) {
      controlsShow();
    } else {
      controlsHide();
    }
  });

  // The subtitles stand just above the controls, however tall the bar is on this screen.
  const heightShow = () => root.style.setProperty("--controls-height", `${controls.offsetHeight}px`);
  new ResizeObserver(heightShow).observe(controls);
  heightShow();

  playingShow();
  timeShow();
}
