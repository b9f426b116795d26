// Start GOV.UK Frontend's components; pages work without JavaScript, this only adds polish.
import { initAll } from "../vendor/govuk-frontend.min.js";

document.body.classList.add("js-enabled", "govuk-frontend-supported");
initAll();

// The supervision pack's print button (hidden without JavaScript; browsers print it anyway).
for (const button of document.querySelectorAll("[data-print]")) {
  button.hidden = false;
  button.addEventListener("click", () => window.print());
}
