// On wide screens search filters apply as soon as they change. On phones and tablets the
// filter panel starts closed and, once opened, stays open while filters are ticked: they apply
// with its "Show results" button, which stays in view. Without JavaScript that button is the
// only way, everywhere. The chosen filters show as chips above the results.
const form = document.getElementById("search-form");
if (form) {
  const filters = form.querySelector(".search__filters");
  const apply = form.querySelector(".search__apply");
  const narrow = window.matchMedia("(max-width: 60rem)");
  const fit = () => {
    if (apply) apply.hidden = !narrow.matches;
    // Wide screens have no way to reopen a closed panel.
    if (filters && !narrow.matches) filters.open = true;
  };
  if (filters && narrow.matches) filters.open = false;
  fit();
  narrow.addEventListener("change", fit);
  form.addEventListener("change", (event) => {
    if (event.target.name === "q") return;
    if (narrow.matches && filters && filters.contains(event.target)) return;
    form.requestSubmit();
  });
  // Empty fields need not clutter the URL people share.
  form.addEventListener("submit", () => {
    form.querySelectorAll("input, select").forEach((field) => {
      if (field.value === "" && field.name !== "q") field.disabled = true;
    });
  });
}
