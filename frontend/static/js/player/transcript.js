// The interactive transcript: the cues of the episode's subtitles as a list of buttons with
// their times. It follows playback (the line being said is marked and scrolled into the
// middle of the list, never by scrolling the page, and not while the learner scrolls or
// searches the transcript), a line jumps the video to its moment, and a filter box finds a
// word. It reads the same subtitle track the player shows, so the two never disagree.

import { captionTextOf } from "./captions.js";
import { clock, reducedMotion } from "./util.js";

const LEARNER_READS_MS = 6000;
const ANNOUNCE_AFTER_MS = 500;

// Case and accents never matter: "decubitus" finds "Decubitus", "patienten" finds "patiënten".
// One character in, one out, so that positions in the folded text are positions in the text.
function fold(character) {
  return character.normalize("NFD").charAt(0).toLowerCase().charAt(0);
}

export function transcriptSetup(player) {
  const panel = document.querySelector("[data-transcript]");
  if (!panel) return;
  const { root, video, strings } = player;
  const list = panel.querySelector("[data-transcript-lines]");
  const filter = panel.querySelector("[data-transcript-filter]");
  const found = panel.querySelector("[data-transcript-found]");
  const empty = panel.querySelector("[data-transcript-empty]");
  const loading = panel.querySelector("[data-transcript-loading]");
  let track = null;
  let lines = [];
  let current = null;
  let readingUntil = 0;
  let announceTimer = null;

  // ---- The lines --------------------------------------------------------------------------

  function trackFor(language) {
    const tracks = [...video.textTracks];
    const pageLanguage = document.documentElement.lang.slice(0, 2);
    return (
      tracks.find((each) => each.language === language) ||
      tracks.find((each) => each.language === pageLanguage) ||
      tracks[0] ||
      null
    );
  }

  function trackShow(language) {
    const chosen = trackFor(language);
    if (!chosen || chosen === track) return;
    track = chosen;
    if (track.mode === "disabled") track.mode = "hidden"; // loads its cues without drawing them
    const element = [...video.querySelectorAll("track")].find((each) => each.track === track);
    if (track.cues && track.cues.length) linesFill();
    else if (element) element.addEventListener("load", linesFill, { once: true });
  }

  function linesFill() {
    lines = [...track.cues].map((cue) => {
      const text = captionTextOf(cue).replace(/\s+/g, " ").trim();
      const item = document.createElement("li");
      const button = document.createElement("button");
      button.type = "button";
      button.className = "transcript__line";
      const time = document.createElement("span");
      time.className = "transcript__time";
      time.textContent = clock(cue.startTime);
      const said = document.createElement("span");
      said.className = "transcript__text";
      said.textContent = text;
      button.append(time, said);
      item.append(button);
      const line = { start: cue.startTime, item, button, said, text, folded: [...text].map(fold).join("") };
      button.addEventListener("click", () => {
        readingUntil = 0;
        player.seekTo(line.start);
        follow();
        player.play();
      });
      return line;
    });
    list.lang = track.language;
    list.replaceChildren(...lines.map((line) => line.item));
    loading.hidden = true;
    current = null;
    if (filter.value) linesFilter();
    follow();
  }

  // ---- Following playback -----------------------------------------------------------------

  function follow() {
    let line = null;
    for (const each of lines) {
      if (each.start > video.currentTime + 0.05) break;
      line = each;
    }
    if (line === current) return;
    if (current) current.button.removeAttribute("aria-current");
    if (line) line.button.setAttribute("aria-current", "true");
    current = line;
    if (line && !filter.value && Date.now() > readingUntil) lineScroll(line);
  }

  // Within the list only: the page stays where the learner is reading.
  function lineScroll(line) {
    const top = line.item.offsetTop - list.clientHeight / 3;
    list.scrollTo({ top: Math.max(0, top), behavior: reducedMotion.matches ? "auto" : "smooth" });
  }

  const learnerReads = () => { readingUntil = Date.now() + LEARNER_READS_MS; };
  for (const name of ["wheel", "touchmove", "keydown"]) list.addEventListener(name, learnerReads, { passive: true });
  list.addEventListener("pointerdown", (event) => { if (event.target === list) learnerReads(); }); // the scroll bar
  video.addEventListener("timeupdate", follow);
  video.addEventListener("seeked", follow);

  // ---- Finding a word ---------------------------------------------------------------------

  function lineMark(line, start, length) {
    if (start < 0) {
      line.said.textContent = line.text;
      return;
    }
    const characters = [...line.text];
    const mark = document.createElement("mark");
    mark.textContent = characters.slice(start, start + length).join("");
    line.said.replaceChildren(characters.slice(0, start).join(""), mark, characters.slice(start + length).join(""));
  }

  function linesFilter() {
    const wanted = [...filter.value.trim()].map(fold).join("");
    let count = 0;
    for (const line of lines) {
      const at = wanted ? line.folded.indexOf(wanted) : -1;
      line.item.hidden = Boolean(wanted) && at < 0;
      lineMark(line, at, wanted.length);
      if (at >= 0) count += 1;
    }
    empty.hidden = !wanted || count > 0;
    clearTimeout(announceTimer);
    announceTimer = setTimeout(() => {
      found.textContent = !wanted ? "" : count === 1 ? strings.linesFoundOne : strings.linesFound.replace("{count}", String(count));
    }, ANNOUNCE_AFTER_MS);
    if (!wanted && current) lineScroll(current);
  }
  filter.addEventListener("input", linesFilter);
  filter.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && filter.value) {
      filter.value = "";
      linesFilter();
    }
  });

  root.addEventListener("captionschange", (event) => trackShow(event.detail.language));
}
