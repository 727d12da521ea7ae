// A drop-down marked data-autosubmit applies its choice at once; without JavaScript the form
// has a button instead.
document.querySelectorAll("select[data-autosubmit]").forEach((select) => {
  select.addEventListener("change", () => select.form.requestSubmit());
});
