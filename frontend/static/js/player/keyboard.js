// Keyboard shortcuts on the player, and their list under it, which touch screens without a
// keyboard do not show.

import { touchOnly } from "./util.js";

export function keyboardSetup(player, settings) {
  const { root, video, part } = player;

  const shortcuts = {
    " ": player.togglePlay,
    k: player.togglePlay,
    ArrowLeft: () => player.seekTo(video.currentTime - 5),
    ArrowRight: () => player.seekTo(video.currentTime + 5),
    j: () => player.seekTo(video.currentTime - 10),
    l: () => player.seekTo(video.currentTime + 10),
    ArrowUp: () => { video.volume = Math.min(1, video.volume + 0.1); },
    ArrowDown: () => { video.volume = Math.max(0, video.volume - 0.1); },
    m: () => part("mute").click(),
    f: () => part("fullscreen").click(),
    c: settings.captionsCycle,
    ">": () => settings.speedStep(1),
    "<": () => settings.speedStep(-1),
    Home: () => player.seekTo(0),
    End: () => player.seekTo(video.duration - 1),
  };

  root.addEventListener("keydown", (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    const target = event.target;
    const typing = target.matches("select, input:not([type=range]), textarea");
    const onButton = target.matches("button, a") && (event.key === " " || event.key === "Enter");
    const onSlider = target === part("seek") && event.key.startsWith("Arrow");
    if (typing || onButton || onSlider) return;
    const action = shortcuts[event.key] || shortcuts[event.key.toLowerCase()];
    if (!action) return;
    event.preventDefault();
    action();
  });

  const panel = document.querySelector("[data-shortcuts]");
  if (panel) {
    const panelShow = () => { panel.hidden = touchOnly.matches; };
    touchOnly.addEventListener("change", panelShow);
    panelShow();
  }
}
