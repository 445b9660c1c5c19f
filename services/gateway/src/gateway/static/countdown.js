// Deadlines counting down: each <time class="portal-countdown" datetime="..."> gets the time
// left beside it, refreshed every minute. Without JavaScript the deadline itself is still shown.
(function () {
  "use strict";
  var en = document.documentElement.lang === "en";
  function left(ms) {
    var past = ms < 0, m = Math.floor(Math.abs(ms) / 60000), d = Math.floor(m / 1440), h = Math.floor((m % 1440) / 60);
    var text = (d ? d + (en ? " d " : " d ") : "") + h + (en ? " h " : " u ") + (m % 60) + " min";
    return past ? (en ? "overdue by " : "verstreken sinds ") + text : (en ? "" : "nog ") + text + (en ? " left" : "");
  }
  function tick() {
    document.querySelectorAll("time.portal-countdown").forEach(function (el) {
      var out = el.nextElementSibling && el.nextElementSibling.classList.contains("portal-left")
        ? el.nextElementSibling : null;
      if (!out) {
        out = document.createElement("span");
        out.className = "portal-left";
        el.insertAdjacentElement("afterend", out);
      }
      out.textContent = " (" + left(Date.parse(el.getAttribute("datetime")) - Date.now()) + ")";
    });
  }
  tick();
  setInterval(tick, 60000);
})();
