// The episode player: hls.js (or the browser's own HLS), our own controls, subtitles above
// them, seek previews, chapters, keyboard shortcuts, resume, the interactive transcript, "next
// episode", the course's completion moment, and heartbeats that survive going offline and
// closing the tab. Each concern is a module; this one builds what they share and starts them.

import { captionsSetup } from "./captions.js";
import { chaptersSetup } from "./chapters.js";
import { completionSetup } from "./completion.js";
import { controlsSetup } from "./controls.js";
import { heartbeatsSetup } from "./heartbeats.js";
import { keyboardSetup } from "./keyboard.js";
import { nextSetup } from "./next.js";
import { previewsSetup } from "./previews.js";
import { settingsSetup } from "./settings.js";
import { streamAttach } from "./stream.js";
import { transcriptSetup } from "./transcript.js";

function playerCreate(root) {
  const video = root.querySelector("video");
  const config = JSON.parse(document.getElementById("player-config").textContent);
  const part = (name) => root.querySelector(`[data-${name}]`);
  const announcer = part("announce");
  const player = {
    root,
    video,
    config,
    strings: JSON.parse(document.getElementById("player-strings").textContent),
    part,
    play: () => video.play().catch(() => {}),
    togglePlay: () => (video.paused || video.ended ? player.play() : video.pause()),
    seekTo(seconds) {
      const end = video.duration || config.duration;
      video.currentTime = Math.min(Math.max(0, seconds), Math.max(0, end - 0.1));
    },
    // Said once by screen readers, without moving focus.
    announce(text) {
      announcer.textContent = "";
      setTimeout(() => { announcer.textContent = text; }, 50);
    },
    statusShow(text) {
      const status = part("status");
      status.textContent = text;
      status.hidden = !text;
    },
  };
  return player;
}

const root = document.querySelector("[data-player]");
if (root) {
  const player = playerCreate(root);
  const settings = settingsSetup(player);
  controlsSetup(player);
  captionsSetup(player);
  transcriptSetup(player);
  previewsSetup(player);
  chaptersSetup(player);
  keyboardSetup(player, settings);
  completionSetup(player, nextSetup(player));
  heartbeatsSetup(player);
  settings.restore();
  const stream = streamAttach(player.video, player.config.master, {
    startAt: player.config.startAt || 0,
    onLevels: settings.qualitiesFill,
    onLevelSwitched: settings.qualityShow,
    onProblem: (problem) => player.statusShow(player.strings[problem]),
  });
  if (!stream || stream.native) settings.qualityHide();
  root.dataset.ready = "1";
}
