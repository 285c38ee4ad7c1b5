// Live updates over server-sent events (/events): when a collector records an observation,
// say so and update the counts this page shows. Plain script: no framework, no build step.
"use strict";
(function () {
  if (!window.EventSource || document.getElementById("login")) return;
  const source = new EventSource("/events");
  source.addEventListener("observation", function (event) {
    const d = JSON.parse(event.data);
    const live = document.getElementById("live");
    const changed = d.changed.length ? ", " + d.changed.length + " component(s) changed" : "";
    live.textContent = "Estate " + d.estate + ": observation #" + d.seq + " recorded" + changed + ".";
    live.dataset.estate = d.estate;
    live.dataset.seq = String(d.seq);
    live.hidden = false;
    for (const row of document.querySelectorAll("tr[data-estate]")) {
      if (row.dataset.estate !== d.estate) continue;
      row.querySelector(".observations").textContent = String(d.seq);
      row.querySelector(".latest time").textContent = d.time;
      row.classList.add("updated");
    }
  });
})();
