// "Check again" on a Shield setup page: asks the server what Shield last heard from this
// device and shows the answer in place. Without this script the form loads the page
// again, which shows the same answer.
(function () {
  "use strict";
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.hasAttribute || !form.hasAttribute("data-shield-check") || !window.fetch) return;
    var result = document.getElementById("check-result");
    var button = form.querySelector("button");
    if (!result || !button) return;
    event.preventDefault();
    var label = button.textContent;
    button.setAttribute("aria-busy", "true");
    button.textContent = form.getAttribute("data-checking") || label;
    fetch(form.getAttribute("data-shield-check"), {
      credentials: "same-origin",
      headers: { Accept: "application/json" },
      cache: "no-store",
    })
      .then(function (response) {
        if (!response.ok) throw new Error(String(response.status));
        return response.json();
      })
      .then(function (data) {
        result.textContent = data.verdict;
        result.className = "shield-verdict state-" + data.state;
        var heard = document.getElementById("heard-text");
        if (heard) {
          heard.textContent = data.text;
          var status = heard.parentNode;
          status.className = "shield-status state-" + data.state;
          var mark = status.querySelector(".mark");
          if (mark) mark.textContent = data.state === "recent" ? "\u2713" : "\u25cb";
        }
      })
      .catch(function () {
        form.submit(); // the page itself tells the same
      })
      .finally(function () {
        button.textContent = label;
        button.removeAttribute("aria-busy");
      });
  });
})();
