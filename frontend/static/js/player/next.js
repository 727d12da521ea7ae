// "Next episode" when a lecture ends: a panel, and unless the learner turned it off, a
// countdown to the next episode, which screen readers hear once as it starts.

const COUNTDOWN_SECONDS = 8;
const AUTONEXT_KEY = "leerstroom.autonext";

export function nextSetup(player) {
  const { video, config, strings, part } = player;
  const panel = part("next");
  const label = part("countdown");
  const autoNext = document.querySelector("[data-autonext]");
  let countdown = null;

  if (autoNext) {
    autoNext.checked = localStorage.getItem(AUTONEXT_KEY) !== "off";
    autoNext.addEventListener("change", () => {
      localStorage.setItem(AUTONEXT_KEY, autoNext.checked ? "on" : "off");
    });
  }

  function countdownStop() {
    if (countdown === null) return false;
    clearInterval(countdown);
    countdown = null;
    return true;
  }

  video.addEventListener("ended", () => {
    if (!config.next) return;
    panel.hidden = false;
    if (!autoNext || !autoNext.checked) return;
    let left = COUNTDOWN_SECONDS;
    label.textContent = String(left);
    player.announce(strings.nextSoon.replace("{title}", config.next.title).replace("{seconds}", String(left)));
    countdown = setInterval(() => {
      left -= 1;
      label.textContent = String(left);
      if (left <= 0) {
        countdownStop();
        window.location.assign(config.next.url);
      }
    }, 1000);
  });
  part("cancel-next").addEventListener("click", () => {
    if (countdownStop()) player.announce(strings.nextCancelled);
    panel.hidden = true;
  });
  video.addEventListener("play", () => {
    countdownStop();
    panel.hidden = true;
  });
  // The course was just completed: the learner sees that moment before anything else starts.
  return { countdownCancel: countdownStop };
}
