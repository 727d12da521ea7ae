import { undoExpire } from "./rows.js";

// A learning path's order: drag an item by its handle (SortableJS) or use its ↑ ↓ buttons.
// Every move is saved at once. When the path changed elsewhere in the meantime the server
// answers 409 with the order as it is, and the list is shown in that order.
const list = document.getElementById("path-items");
const status = document.getElementById("path-status");

function token() {
  return document.querySelector("[name=csrfmiddlewaretoken]").value;
}

function announce(message) {
  if (status) status.textContent = message;
}

function numbersRefresh() {
  const items = [...list.querySelectorAll(".path-item")];
  items.forEach((item, index) => {
    item.querySelector(".path-item__number").textContent = String(index + 1);
    const [up, down] = item.querySelectorAll("[data-step] button");
    if (up) up.disabled = index === 0;
    if (down) down.disabled = index === items.length - 1;
  });
}

function orderApply(order) {
  const byId = new Map([...list.querySelectorAll(".path-item")].map((item) => [Number(item.dataset.itemId), item]));
  order.forEach((id) => {
    const item = byId.get(id);
    if (item) list.appendChild(item);
  });
  byId.forEach((item, id) => {
    if (!order.includes(id)) item.remove();
  });
  numbersRefresh();
}

async function post(url, data) {
  const body = new URLSearchParams(data);
  const response = await fetch(url, {
    method: "POST",
    body,
    headers: { Accept: "application/json", "X-CSRFToken": token() },
    credentials: "same-origin",
  });
  const answer = await response.json().catch(() => ({}));
  if (answer.order) orderApply(answer.order);
  if (!response.ok) announce(answer.message || list.dataset.failed || "");
  return response.ok;
}

function moveUrl(itemId) {
  return list.dataset.moveUrl.replace(/\/0\/verplaatsen\/$/, `/${itemId}/verplaatsen/`);
}

if (list) {
  if (window.Sortable) {
    window.Sortable.create(list, {
      handle: ".path-item__handle",
      animation: 150,
      onEnd: (event) => {
        if (event.oldIndex === event.newIndex) return;
        const previous = event.item.previousElementSibling;
        numbersRefresh();
        post(moveUrl(event.item.dataset.itemId), { na: previous ? previous.dataset.itemId : "" });
      },
    });
  }
  list.addEventListener("submit", async (event) => {
    const form = event.target;
    if (!form.matches("[data-step]")) return;
    event.preventDefault();
    const item = form.closest(".path-item");
    const step = form.querySelector("[name=stap]").value;
    const button = form.querySelector("button");
    if (step === "-1" && item.previousElementSibling) list.insertBefore(item, item.previousElementSibling);
    if (step === "1" && item.nextElementSibling) list.insertBefore(item.nextElementSibling, item);
    numbersRefresh();
    button.disabled ? item.querySelector("[data-step] button:not([disabled])")?.focus() : button.focus();
    announce(`${item.querySelector(".path-item__title").textContent}: ${[...list.children].indexOf(item) + 1}`);
    await post(form.action, { stap: step });
  });
}

// Share and invitation links select themselves, ready to copy.
document.querySelectorAll("[data-select-on-focus]").forEach((field) => {
  field.addEventListener("focus", () => field.select());
});

// A copy button beside a link where the clipboard can be written; the field stays as the fallback.
document.querySelectorAll("[data-copy-link]").forEach((box) => {
  const field = box.querySelector("input");
  const button = box.querySelector("[data-copy]");
  const said = box.querySelector("[data-copy-status]");
  if (!navigator.clipboard || !button) return;
  button.hidden = false;
  button.addEventListener("click", async () => {
    try {
      await navigator.clipboard.writeText(field.value);
      said.textContent = box.dataset.copied;
    } catch {
      field.focus();
      field.select();
      said.textContent = box.dataset.copyFailed;
    }
  });
});

undoExpire(document);
