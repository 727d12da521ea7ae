// Search filters apply as soon as they change; without JavaScript the "Show results" button
// does the same. On small screens the filter panel starts closed; the chosen filters show as
// chips above the results.
const form = document.getElementById("search-form");
if (form) {
  const filters = form.querySelector(".search__filters");
  if (filters && window.matchMedia("(max-width: 60rem)").matches) {
    filters.open = false;
  }
  const apply = form.querySelector(".search__apply");
  if (apply) apply.hidden = true;
  form.addEventListener("change", (event) => {
    if (event.target.name === "q") return;
    form.requestSubmit();
  });
  // Empty fields need not clutter the URL people share.
  form.addEventListener("submit", () => {
    form.querySelectorAll("input, select").forEach((field) => {
      if (field.value === "" && field.name !== "q") field.disabled = true;
    });
  });
}
