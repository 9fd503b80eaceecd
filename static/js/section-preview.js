// Live preview of section bodies while editing: the server renders the same safe Markdown
// subset as the published text, so what you see is what readers will get.
(function () {
  "use strict";
  var script = document.getElementById("section-preview-script");
  if (!script) { return; }
  var url = script.dataset.url;
  var csrf = document.querySelector("input[name=csrfmiddlewaretoken]");

  function render(textarea, target) {
    var body = new FormData();
    body.append("body", textarea.value);
    fetch(url, { method: "POST", body: body, headers: { "X-CSRFToken": csrf.value }, credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.text() : ""; })
      .then(function (html) { target.innerHTML = html; });
  }

  document.querySelectorAll(".section-preview").forEach(function (target) {
    var textarea = document.getElementById(target.dataset.for);
    if (!textarea) { return; }
    var timer = null;
    textarea.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () { render(textarea, target); }, 300);
    });
    render(textarea, target);
  });
})();
