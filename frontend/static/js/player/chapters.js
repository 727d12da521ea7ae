// Chapters: the current chapter's title in the control bar and marked in the chapter list,
// whose buttons jump to their chapter.

export function chaptersSetup(player) {
  const { video, config, part } = player;
  const label = part("chapter");
  const buttons = [...document.querySelectorAll("[data-seek-to]")];

  function chapterShow() {
    let current = null;
    for (const chapter of config.chapters) if (chapter.start <= video.currentTime) current = chapter;
    label.textContent = current ? current.title : "";
    for (const button of buttons) {
      button.toggleAttribute("aria-current", current !== null && Number(button.dataset.seekTo) === current.start);
    }
  }
  video.addEventListener("timeupdate", chapterShow);
  for (const button of buttons) {
    button.addEventListener("click", () => {
      player.seekTo(Number(button.dataset.seekTo));
      player.play();
    });
  }
}
