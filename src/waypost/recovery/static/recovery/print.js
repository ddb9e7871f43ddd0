// The card's Print button: shown only when this script runs (without it, the hint says how).
document.addEventListener("DOMContentLoaded", () => {
  for (const button of document.querySelectorAll("[data-print]")) {
    button.hidden = false;
    button.addEventListener("click", () => window.print());
  }
  for (const hint of document.querySelectorAll("[data-print-hint]")) {
    hint.hidden = true;
  }
});
