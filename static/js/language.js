// The language switch in the footer takes effect as soon as a language is chosen; without
// JavaScript its form still has a button (in <noscript>).
document.querySelectorAll("select[data-submit-on-change]").forEach((select) => {
  select.addEventListener("change", () => select.form.submit());
});
