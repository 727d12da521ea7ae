// Home-page rows: buttons that scroll a row by a screenful, for mouse users. Touch scrolls
// natively; keyboard users tab through the cards or use the arrow keys on the focused row.
function rowSetUp(row) {
  const items = row.querySelector(".row__items");
  const buttons = row.querySelectorAll(".row__scroll");
  if (!items || row.dataset.ready) return;
  row.dataset.ready = "1";
  const update = () => {
    const overflow = items.scrollWidth > items.clientWidth + 4;
    buttons.forEach((button) => {
      button.hidden = !overflow;
      const back = button.dataset.scroll === "-1";
      button.disabled = back
        ? items.scrollLeft <= 4
        : items.scrollLeft + items.clientWidth >= items.scrollWidth - 4;
    });
  };
  buttons.forEach((button) =>
    button.addEventListener("click", () => {
      items.scrollBy({ left: Number(button.dataset.scroll) * items.clientWidth * 0.9, behavior: "smooth" });
    }),
  );
  items.addEventListener("scroll", update, { passive: true });
  window.addEventListener("resize", update);
  update();
}

// A row that failed to load says so and offers to try again, instead of loading for ever.
function rowFailed(event) {
  const row = event.detail.elt;
  if (!row.classList?.contains("row--loading")) return;
  row.setAttribute("aria-busy", "false");
  row.querySelector(".row__skeleton").hidden = true;
  row.querySelector(".row__error").hidden = false;
}

document.addEventListener("htmx:responseError", rowFailed);
document.addEventListener("htmx:sendError", rowFailed);
document.addEventListener("click", (event) => {
  const retry = event.target.closest("[data-row-retry]");
  if (!retry) return;
  const row = retry.closest(".row--loading");
  row.querySelector(".row__error").hidden = true;
  row.querySelector(".row__skeleton").hidden = false;
  row.setAttribute("aria-busy", "true");
  window.htmx.trigger(row, "retry");
});

function rowsSetUp(root) {
  root.querySelectorAll(".row").forEach(rowSetUp);
}

// An undo offered after a removal goes after a few seconds, unless the learner is on it.
export const UNDO_SECONDS = 8;
export function undoExpire(root) {
  root.querySelectorAll("[data-undo]").forEach((undo) => {
    const expire = () => (undo.matches(":focus-within, :hover") ? setTimeout(expire, 2000) : undo.remove());
    setTimeout(expire, UNDO_SECONDS * 1000);
  });
}

rowsSetUp(document);
document.addEventListener("htmx:load", (event) => {
  rowsSetUp(event.target.parentElement || document);
  undoExpire(event.target.parentElement || document);
});
