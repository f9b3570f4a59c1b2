// Progressive enhancement only: every form works without this script.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  // Uploads show their progress; the server answers with a redirect the page then follows.
  for (const form of document.querySelectorAll("form[data-progress]")) {
    form.addEventListener("submit", (event) => {
      const bar = document.getElementById(form.dataset.progress);
      if (!bar || !window.XMLHttpRequest) return;
      event.preventDefault();
      const xhr = new XMLHttpRequest();
      xhr.open("POST", form.action);
      xhr.upload.addEventListener("progress", (e) => {
        if (e.lengthComputable) { bar.max = e.total; bar.value = e.loaded; }
      });
      xhr.addEventListener("load", () => { window.location.assign(xhr.responseURL || form.action); });
      xhr.addEventListener("error", () => { bar.replaceWith(document.createTextNode("The upload failed; try again.")); });
      bar.hidden = false;
      xhr.send(new FormData(form));
    });
  }
  // "Select all" boxes for bulk actions.
  for (const all of document.querySelectorAll("input[data-select-all]")) {
    all.addEventListener("change", () => {
      for (const box of document.querySelectorAll(`input[name="${all.dataset.selectAll}"]`)) box.checked = all.checked;
    });
  }
});
