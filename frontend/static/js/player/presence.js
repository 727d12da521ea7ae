// Presence at a live webinar, as the registers accept it online: while the watch page is open
// and in view it reports the learner every few seconds (each minute of the session counts
// once, however many tabs report it), and shows the presence check the moderator holds ("Are you
// still watching?" or a poll question that is never right or wrong) with the time left to answer.
import { postJson as post } from "./util.js";

export function presenceSetup(root) {
  const panel = root.querySelector("[data-live-check]");
  if (!panel) return;
  const strings = JSON.parse(document.getElementById("live-presence-strings").textContent);
  const minutes = root.querySelector("[data-presence-minutes]");
  const question = panel.querySelector("[data-check-question]");
  const timeLeft = panel.querySelector("[data-check-time]");
  const options = panel.querySelector("[data-check-options]");
  const status = panel.querySelector("[data-check-status]");
  let shownId = null;
  let stopped = false;
  let ticking = null;

  function hideSoon() {
    clearInterval(ticking);
    options.replaceChildren();
    setTimeout(() => { panel.hidden = true; }, 4000);
  }

  async function answer(check, option) {
    for (const button of options.querySelectorAll("button")) button.disabled = true;
    let response;
    try {
      response = await post(panel.dataset.answerUrl.replace("/0/", `/${check.id}/`),
        option === null ? {} : { option });
    } catch {
      status.textContent = strings.offline;
      for (const button of options.querySelectorAll("button")) button.disabled = false;
      return;
    }
    const data = await response.json().catch(() => ({}));
    status.textContent = response.status === 201 ? strings.thanks : data.reason || strings.failed;
    hideSoon();
  }

  function checkShow(check) {
    shownId = check.id;
    question.textContent = check.question;
    status.textContent = "";
    const choices = check.kind === "poll" ? check.options : [strings.stillWatching];
    options.replaceChildren(...choices.map((text, index) => {
      const button = document.createElement("button");
      button.type = "button";
      button.className = "button live-check__option";
      button.textContent = text;
      button.addEventListener("click", () => answer(check, check.kind === "poll" ? index : null));
      return button;
    }));
    const closesAt = Date.now() + check.seconds_left * 1000;
    const tick = () => {
      const left = Math.max(0, Math.ceil((closesAt - Date.now()) / 1000));
      timeLeft.textContent = strings.secondsLeft.replace("%(seconds)s", left);
      if (!left) {
        status.textContent = strings.tooLate;
        hideSoon();
      }
    };
    clearInterval(ticking);
    tick();
    ticking = setInterval(tick, 1000);
    panel.hidden = false;
    options.querySelector("button").focus({ preventScroll: true });
  }

  async function beat() {
    if (stopped || document.hidden) return;
    let response;
    try {
      response = await post(panel.dataset.beatUrl);
    } catch {
      return; // offline: the next report counts the minute, if it is still this one
    }
    if (response.status === 403 || response.status === 404 || response.status === 409) {
      stopped = true; // not registered, or the session is closed: nothing to report
      return;
    }
    if (!response.ok) return;
    const data = await response.json();
    minutes.textContent = strings.minutes
      .replace("%(online)s", data.minutes_online)
      .replace("%(planned)s", data.minutes_planned);
    if (data.check && data.check.id !== shownId) checkShow(data.check);
  }

  beat();
  setInterval(beat, Number(panel.dataset.beatSeconds) * 1000);
  document.addEventListener("visibilitychange", beat);
}
