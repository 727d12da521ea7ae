// Subtitles drawn by the player instead of the browser, so that they always stand above the
// controls (CSS moves them as the controls come and go). The tracks stay "hidden": loaded,
// with their cues and cue changes, but not drawn by the browser.

export function captionTextOf(cue) {
  return cue.getCueAsHTML().textContent; // without voice and styling tags
}

export function captionsSetup(player) {
  const { root, video, part } = player;
  const box = part("caption-text");
  const tracks = () => [...video.textTracks];
  let language = "";

  for (const track of tracks()) {
    track.mode = "hidden";
    track.addEventListener("cuechange", () => { if (track.language === language) render(); });
  }

  function render() {
    const track = tracks().find((each) => each.language === language);
    const cues = track && track.activeCues ? [...track.activeCues] : [];
    box.replaceChildren(
      ...cues.map((cue) => {
        const line = document.createElement("span");
        line.className = "player__caption";
        line.textContent = captionTextOf(cue);
        return line;
      }),
    );
    box.hidden = cues.length === 0;
  }

  root.addEventListener("captionschange", (event) => {
    language = event.detail.language;
    render();
  });

  // The iPhone's own full-screen player draws the browser's subtitles: show the chosen ones.
  video.addEventListener("webkitbeginfullscreen", () => {
    for (const track of tracks()) track.mode = track.language === language ? "showing" : "hidden";
  });
  video.addEventListener("webkitendfullscreen", () => {
    for (const track of tracks()) track.mode = "hidden";
  });
}
