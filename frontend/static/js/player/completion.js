// The moment a course is complete, in the player: when an episode ends, the player asks whether
// that completed the course (its last heartbeats are stored within a second or two, so it asks
// a few times), and shows the same "Course complete!" panel as the course page, with the points
// per register and the certificate. The next episode then waits for the learner.

const ASK_AFTER_MS = [1000, 2000, 4000, 8000];

export function completionSetup(player, next) {
  const url = player.root.dataset.completionUrl;
  const slot = document.querySelector("[data-completion-slot]");
  if (!url || !slot) return;
  let shown = false;
  let asking = false;

  async function ask() {
    const response = await fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } });
    if (!response.ok) return false;
    const data = await response.json();
    if (!data.completed_now) return false;
    shown = true;
    next.countdownCancel();
    slot.innerHTML = data.html;
    const heading = slot.querySelector("h2");
    if (heading) player.announce(heading.textContent);
    return true;
  }

  player.video.addEventListener("ended", async () => {
    if (shown || asking) return;
    asking = true;
    try {
      for (const wait of ASK_AFTER_MS) {
        await new Promise((resolve) => setTimeout(resolve, wait));
        try {
          if (await ask()) return;
        } catch {
          // offline: the course page shows the moment too
        }
      }
    } finally {
      asking = false;
    }
  });
}
