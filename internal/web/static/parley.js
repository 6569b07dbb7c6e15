// parley: a little plain JavaScript. Every page works without it except
// sign-in; with it, the what-if controls recompute in place and a
// simulation's progress updates live.
"use strict";
(function () {
  function postJSON(url, body, csrf) {
    var h = { "Content-Type": "application/json" };
    if (csrf) h["X-CSRF-Token"] = csrf;
    return fetch(url, { method: "POST", headers: h, body: body ? JSON.stringify(body) : null, credentials: "same-origin" });
  }
  function signIn(form, body) {
    var out = document.getElementById("signin-error");
    postJSON("/api/login", body).then(function (r) {
      if (r.ok) { location.assign(form.dataset.next || "/"); return; }
      return r.json().then(function (p) { out.hidden = false; out.textContent = p.detail || p.title || "Sign-in failed"; });
    }).catch(function () { out.hidden = false; out.textContent = "The server cannot be reached."; });
  }
  var code = document.getElementById("signin-code");
  if (code) code.addEventListener("submit", function (e) {
    e.preventDefault(); signIn(code, { code: code.elements.code.value.trim() });
  });
  var pw = document.getElementById("signin-password");
  if (pw) pw.addEventListener("submit", function (e) {
    e.preventDefault(); signIn(pw, { name: pw.elements.name.value, password: pw.elements.password.value });
  });
  var out = document.getElementById("signout");
  if (out) out.addEventListener("click", function () {
    postJSON("/api/logout", null, out.dataset.csrf).finally(function () { location.assign("/signin"); });
  });

  // What-if: fetch the analysis for the form's values and swap it in.
  var wf = document.getElementById("whatif");
  if (wf) wf.addEventListener("submit", function (e) {
    e.preventDefault();
    var target = document.getElementById(wf.dataset.target);
    var q = new URLSearchParams(new FormData(wf));
    var url = wf.action + "?" + q.toString();
    target.setAttribute("aria-busy", "true");
    q.set("fragment", "analysis");
    fetch(wf.action + "?" + q.toString(), { credentials: "same-origin" }).then(function (r) {
      if (!r.ok) throw new Error("status " + r.status);
      return r.text();
    }).then(function (html) {
      target.innerHTML = html;
      history.replaceState(null, "", url);
    }).catch(function (err) {
      target.insertAdjacentHTML("afterbegin", "");
      var p = document.createElement("p"); p.className = "error"; p.textContent = "Recomputing failed: " + err.message;
      target.prepend(p);
    }).finally(function () { target.removeAttribute("aria-busy"); });
  });

  // Simulation: poll the job until it is finished.
  var job = document.getElementById("job");
  function poll() {
    var sec = job.querySelector("[data-finished]");
    if (sec && sec.dataset.finished === "true") return;
    fetch(job.dataset.poll, { credentials: "same-origin" }).then(function (r) { return r.text(); }).then(function (html) {
      job.innerHTML = html;
      setTimeout(poll, 400);
    }).catch(function () { setTimeout(poll, 2000); });
  }
  if (job) setTimeout(poll, 300);
})();
