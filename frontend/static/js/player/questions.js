// Questions to the panel on the watch page: the viewer asks (a counter shows the characters left),
// votes for questions on the list (a second press takes the vote back) and sees their own
// questions waiting for the moderator. The list is one shared snapshot the server rebuilds every
// few seconds; the page asks for it as often, less when the snapshot is older or the network
// fails, and not at all while the page is out of view.
import { postJson as post } from "./util.js";

const MAX_WAIT_SECONDS = 30;

function remembered(key) {
  try { return localStorage.getItem(key) === "1"; } catch { return false; }
}

// The published list has no viewer's own part, and says when it was built rather than how old.
function fromFile(data) {
  const age = Math.max(0, Date.now() / 1000 - data.built_at);
  return { ...data, age, pending: [], own: [], voted: [] };
}

export function questionsSetup(root) {
  const panel = root.querySelector("[data-questions]");
  if (!panel) return;
  const strings = JSON.parse(document.getElementById("live-questions-strings").textContent);
  const form = panel.querySelector("[data-question-form]");
  const text = panel.querySelector("[data-question-text]");
  const count = panel.querySelector("[data-question-count]");
  const submit = panel.querySelector("[data-question-submit]");
  const status = panel.querySelector("[data-question-status]");
  const list = panel.querySelector("[data-question-list]");
  const pending = panel.querySelector("[data-question-pending]");
  const empty = panel.querySelector("[data-question-empty]");
  const announce = panel.querySelector("[data-question-announce]");
  const max = Number(text.maxLength);
  let known = null; // ids on the list at the last read; null before the first
  let wait = 3;
  let timer = null;
  let stopped = false;
  let lastDrawn = "";
  // A viewer who has not asked or voted reads the list the page's stream publishes (storage or
  // the CDN, never the app); one who took part reads it from the app, with their own part.
  const tookPartKey = `leerstroom:took-part:${panel.dataset.listUrl}`;
  let tookPart = remembered(tookPartKey);
  let fileMissing = false;

  function tookPartNow() {
    tookPart = true;
    try { localStorage.setItem(tookPartKey, "1"); } catch { /* private mode: this page only */ }
  }

  function counted() {
    count.textContent = strings.count.replace("%(count)s", text.value.length).replace("%(max)s", max);
  }

  function voteButton(question, voted) {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "live-questions__vote";
    button.dataset.vote = question.id;
    button.setAttribute("aria-pressed", String(voted));
    button.setAttribute("aria-label", voted ? strings.votedLabel : strings.voteLabel.replace("%(count)s", question.votes));
    button.textContent = `▲ ${question.votes}`;
    button.addEventListener("click", () => vote(question.id, button));
    return button;
  }

  function item(question, data) {
    const li = document.createElement("li");
    li.className = `live-questions__item live-questions__item--${question.status}`;
    li.dataset.questionId = question.id;
    const body = document.createElement("div");
    body.className = "live-questions__body";
    const p = document.createElement("p");
    p.className = "live-questions__text";
    p.textContent = question.text;
    body.append(p);
    if (question.answer) {
      const answer = document.createElement("p");
      answer.className = "live-questions__answer";
      answer.textContent = `${strings.answer} ${question.answer}`;
      body.append(answer);
    }
    if (question.status === "answered_live") {
      const live = document.createElement("p");
      live.className = "live-questions__badge";
      live.textContent = strings.answeredLive;
      body.append(live);
    }
    if (data.own.includes(question.id)) {
      const yours = document.createElement("p");
      yours.className = "live-questions__badge";
      yours.textContent = strings.yours;
      body.append(yours);
    }
    const side = question.status === "approved" && !data.own.includes(question.id)
      ? voteButton(question, data.voted.includes(question.id))
      : Object.assign(document.createElement("span"), { className: "live-questions__votes", textContent: `▲ ${question.votes}` });
    li.append(side, body);
    return li;
  }

  function show(data) {
    // Drawn again only when something changed, so focus and screen readers are left in peace.
    const drawn = JSON.stringify([data.questions, data.pending, data.own, data.voted, data.open]);
    if (drawn === lastDrawn) return;
    lastDrawn = drawn;
    const focused = document.activeElement && document.activeElement.dataset ? document.activeElement.dataset.vote : null;
    list.replaceChildren(...data.questions.map((question) => item(question, data)));
    if (focused) {
      const again = list.querySelector(`[data-vote="${focused}"]`);
      if (again) again.focus({ preventScroll: true });
    }
    pending.replaceChildren(...data.pending.map((question) => {
      const li = document.createElement("li");
      li.className = "live-questions__item live-questions__item--pending";
      li.dataset.questionId = question.id;
      li.textContent = question.text;
      const note = document.createElement("span");
      note.className = "live-questions__badge";
      note.textContent = strings.waiting;
      li.append(" ", note);
      return li;
    }));
    empty.hidden = data.questions.length > 0;
    const added = data.questions.filter((question) => known && !known.has(question.id) && !data.own.includes(question.id));
    if (added.length) announce.textContent = strings.announce.replace("%(text)s", added[0].text);
    known = new Set(data.questions.map((question) => question.id));
    if (!data.open) {
      text.disabled = true;
      submit.disabled = true;
      status.textContent = strings.closed;
    }
  }

  async function read() {
    clearTimeout(timer);
    if (stopped) return;
    if (document.hidden) return; // read again when the page is in view
    const published = panel.dataset.snapshotUrl && !tookPart && !fileMissing;
    fileMissing = false;
    try {
      const response = published
        ? await fetch(panel.dataset.snapshotUrl, { credentials: "include" })
        : await fetch(panel.dataset.listUrl, { credentials: "same-origin" });
      if (published && !response.ok) {
        fileMissing = true; // not published yet: the app builds and publishes it
        return read();
      }
      if (response.status === 403 || response.status === 404) {
        stopped = true;
        return;
      }
      if (!response.ok) throw new Error(String(response.status));
      const data = published ? fromFile(await response.json()) : await response.json();
      if (data.own.length || data.pending.length || data.voted.length) tookPartNow();
      show(data);
      // An old snapshot means the server is busy: ask less often until it is fresh again.
      wait = data.age > 2 * data.refresh ? Math.min(wait * 2, MAX_WAIT_SECONDS) : data.refresh;
    } catch {
      wait = Math.min(wait * 2, MAX_WAIT_SECONDS);
    }
    timer = setTimeout(read, wait * 1000);
  }

  async function vote(id, button) {
    button.disabled = true;
    try {
      const response = await post(panel.dataset.voteUrl.replace("/0/", `/${id}/`));
      const data = await response.json().catch(() => ({}));
      if (response.ok) {
        tookPartNow();
        button.setAttribute("aria-pressed", String(data.voted));
        button.textContent = `▲ ${data.votes}`;
        button.setAttribute("aria-label", data.voted ? strings.votedLabel : strings.voteLabel.replace("%(count)s", data.votes));
      } else {
        status.textContent = data.reason || strings.failed;
      }
    } catch {
      status.textContent = strings.offline;
    }
    button.disabled = false;
    button.focus({ preventScroll: true });
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    submit.disabled = true;
    try {
      const response = await post(panel.dataset.listUrl, { text: text.value });
      const data = await response.json().catch(() => ({}));
      if (response.status === 201) {
        tookPartNow();
        text.value = "";
        counted();
        status.textContent = strings.sent;
        read();
      } else {
        status.textContent = data.reason || strings.failed;
      }
    } catch {
      status.textContent = strings.offline;
    }
    submit.disabled = false;
  });
  text.addEventListener("input", counted);
  document.addEventListener("visibilitychange", () => { if (!document.hidden) read(); });
  counted();
  read();
}
