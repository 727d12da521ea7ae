// Staff's question pages (moderation, presenter) look again every few seconds: the region marked
// data-refresh-region is replaced by the server's fresh one, unless the moderator is busy in it
// (a field has focus or holds text they typed), so nothing they are writing is lost.
const region = document.querySelector("[data-refresh-region]");

function busy() {
  const active = document.activeElement;
  if (active && region.contains(active) && active.matches("textarea, select, input")) return true;
  return [...region.querySelectorAll("textarea")].some((field) => field.value !== field.defaultValue)
    || [...region.querySelectorAll("select")].some((field) => field.value !== "");
}

async function refresh() {
  if (document.hidden || busy()) return;
  try {
    const response = await fetch(window.location.href, { credentials: "same-origin" });
    if (!response.ok) return;
    const page = new DOMParser().parseFromString(await response.text(), "text/html");
    const fresh = page.querySelector("[data-refresh-region]");
    if (fresh && !busy()) region.replaceChildren(...fresh.childNodes);
  } catch {
    // offline: the next turn tries again
  }
}

if (region) setInterval(refresh, Number(region.dataset.refreshSeconds || 5) * 1000);
