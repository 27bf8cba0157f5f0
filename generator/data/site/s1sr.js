/* s1sr: small helpers for the generated site; no dependencies, no network.
 *
 * 1. Search from file://. A browser opening the site from the file system refuses to start
 *    the search Web Worker. Where that is the case, Worker is replaced by a stand-in that runs
 *    the worker script in a hidden iframe of the same page: the search worker only listens for
 *    "message" events and calls postMessage, which the stand-in forwards both ways.
 * 2. Numbers first. The search adds a trailing wildcard to every word, so "18.5p" also matches
 *    18.5p(i), 18.5pa… and a rarer number can outrank the one asked for. A word that holds a
 *    digit is also sent as itself, boosted, so the clause (or SRV) bearing exactly that number
 *    comes first.
 * 3. Stable clause links. On the clause index, #c-<id> opens the clause on its section page,
 *    so a link by stable id keeps working when a clause moves to another section.
 * 4. The version switcher: the row of links at the top of each page becomes a menu.
 * 5. Clause history: beside each clause number, a link to its entry in the section's history.
 * 6. The DMVESM table: filtered by SRV and by Device Model as the reader types.
 */
(function () {
  "use strict";

  var EXACT_BOOST = 100;
  var QUERY = 2; // Material's search worker message: a query to answer

  function exactFirst(query) {
    // Only plain words: a phrase, a field or an operator is left as the reader wrote it.
    if (typeof query !== "string" || /["*+\-:^~]/.test(query)) return query;
    return query.split(/\s+/).filter(Boolean).map(function (word) {
      return /\d/.test(word) ? word + "^" + EXACT_BOOST + " " + word : word;
    }).join(" ");
  }

  function rewrite(message) {
    if (message && message.type === QUERY && typeof message.data === "string") {
      return { type: message.type, data: exactFirst(message.data) };
    }
    return message;
  }

  var FrameWorker = null;
  if (location.protocol === "file:" && typeof window.EventTarget === "function") {
    FrameWorker = function (url) {
      var target = new EventTarget();
      var worker = this;
      var queue = [];
      var ready = false;
      var frame = document.createElement("iframe");
      frame.hidden = true;
      frame.tabIndex = -1;
      frame.setAttribute("aria-hidden", "true");
      frame.title = "search";
      (document.body || document.documentElement).appendChild(frame);
      var win = frame.contentWindow;

      function emit(type, data) {
        var event = type === "message" ? new MessageEvent("message", { data: data }) : new ErrorEvent("error", { message: String(data) });
        var handler = type === "message" ? worker.onmessage : worker.onerror;
        if (typeof handler === "function") handler.call(worker, event);
        target.dispatchEvent(event);
      }
      function deliver(data) {
        win.dispatchEvent(new win.MessageEvent("message", { data: data }));
      }

      // What the worker script calls: postMessage(result) answers the page.
      win.postMessage = function (data) {
        var copy = structuredClone(data);
        setTimeout(function () { emit("message", copy); }, 0);
      };
      win.importScripts = function () {
        throw new Error("s1sr: importScripts is not available when the site is opened from files");
      };

      var script = win.document.createElement("script");
      script.src = new URL(String(url), location.href).href;
      script.onload = function () {
        ready = true;
        queue.splice(0).forEach(deliver);
      };
      script.onerror = function () { emit("error", "cannot load " + script.src); };
      win.document.head.appendChild(script);

      this.onmessage = null;
      this.onerror = null;
      this.postMessage = function (data) {
        var copy = structuredClone(data);
        setTimeout(function () { if (ready) deliver(copy); else queue.push(copy); }, 0);
      };
      this.terminate = function () { frame.remove(); };
      this.addEventListener = target.addEventListener.bind(target);
      this.removeEventListener = target.removeEventListener.bind(target);
      this.dispatchEvent = target.dispatchEvent.bind(target);
    };
  }

  var NativeWorker = window.Worker;
  if (FrameWorker || typeof NativeWorker === "function") {
    window.Worker = function (url, options) {
      var worker = FrameWorker ? new FrameWorker(url) : new NativeWorker(url, options);
      var post = worker.postMessage.bind(worker);
      worker.postMessage = function (message, transfer) {
        return transfer === undefined ? post(rewrite(message)) : post(rewrite(message), transfer);
      };
      return worker;
    };
  }

  function clauseIndexRedirect() {
    if (!location.hash || !document.querySelector(".s1sr-clause-index")) return;
    var id = decodeURIComponent(location.hash.slice(1));
    var anchor = document.getElementById(id);
    var cell = anchor && anchor.closest("td");
    var link = cell && cell.querySelector("a[href]");
    if (link) location.replace(link.href);
  }

  function versionMenu() {
    document.querySelectorAll(".s1sr-versions").forEach(function (bar) {
      var select = document.createElement("select");
      select.className = "s1sr-version-select";
      select.setAttribute("aria-label", "Version");
      Array.prototype.forEach.call(bar.querySelectorAll("a[href], .s1sr-current"), function (item) {
        var option = document.createElement("option");
        option.textContent = item.textContent;
        option.value = item.href || "";
        option.selected = item.classList.contains("s1sr-current");
        select.appendChild(option);
      });
      if (bar.querySelector(".s1sr-current") === null) { // a page of no one version (history, releases)
        var here = document.createElement("option");
        here.textContent = "Choose a version";
        here.value = "";
        here.selected = true;
        select.insertBefore(here, select.firstChild);
      }
      select.addEventListener("change", function () {
        if (!select.value) return;
        // On a section page, stay with the clause in view when the other version has it too.
        var hash = /^#c-/.test(location.hash) && select.value.indexOf("#") < 0 ? location.hash : "";
        location.href = select.value + hash;
      });
      var label = document.createElement("label");
      label.className = "s1sr-versions-menu";
      label.appendChild(document.createTextNode("Version "));
      label.appendChild(select);
      bar.hidden = true;
      bar.parentNode.insertBefore(label, bar);
    });
  }

  function historyLinks() {
    var source = document.querySelector(".s1sr-history-link a[href]");
    if (!source) return;
    var page = source.getAttribute("href").split("#")[0];
    var article = source.closest("article") || document;
    article.querySelectorAll("[id^='c-']").forEach(function (el) {
      var id = el.id.slice(2);
      var link = document.createElement("a");
      link.className = "s1sr-hist";
      link.href = page + "#h-" + encodeURIComponent(id);
      link.title = "History of this clause";
      link.textContent = "history";
      if (el.classList.contains("s1sr-num")) el.insertAdjacentElement("afterend", link);
      else el.appendChild(link); // a heading
    });
  }

  function norm(value) {
    return String(value || "").trim().toLowerCase();
  }

  function matrixFilter() {
    var root = document.querySelector(".s1sr-dmvesm");
    if (!root) return;
    var form = root.querySelector("form.s1sr-filter");
    var table = root.querySelector("table.s1sr-matrix");
    if (!form || !table) return;
    var heads = Array.prototype.slice.call(table.tHead.rows[0].cells, 1);
    var rows = Array.prototype.slice.call(table.tBodies[0].rows);
    var filled = rows.map(function (tr) {
      return Array.prototype.slice.call(tr.cells, 1).map(function (td) { return td.querySelector("a, .s1sr-missing") !== null; });
    });

    function wanted(value, key, text) {
      return !value || key === value || text.indexOf(value) >= 0;
    }

    function apply() {
      var srv = norm(form.elements.srv.value);
      var device = norm(form.elements.device.value);
      var hide = form.elements.hide.checked;
      var col = heads.map(function (th) {
        return wanted(device, th.getAttribute("data-device"), th.getAttribute("data-text"));
      });
      var row = rows.map(function (tr) {
        var key = tr.getAttribute("data-srv");
        return wanted(srv, key, tr.getAttribute("data-text")) || (srv && key.indexOf(srv + ".") === 0);
      });
      if (hide) {
        var colHas = col.map(function () { return false; });
        var rowHas = row.map(function () { return false; });
        filled.forEach(function (cells, i) {
          if (!row[i]) return;
          cells.forEach(function (has, j) {
            if (has && col[j]) { colHas[j] = true; rowHas[i] = true; }
          });
        });
        col = col.map(function (on, j) { return on && colHas[j]; });
        row = row.map(function (on, i) { return on && rowHas[i]; });
      }
      heads.forEach(function (th, j) { th.hidden = !col[j]; });
      rows.forEach(function (tr, i) {
        tr.hidden = !row[i];
        if (!row[i]) return;
        for (var j = 0; j < heads.length; j++) tr.cells[j + 1].hidden = !col[j];
      });
      var nRows = row.filter(Boolean).length;
      var nCols = col.filter(Boolean).length;
      form.elements.count.value = nRows + " SRV" + (nRows === 1 ? "" : "s") + " × " + nCols + " Device Model" +
        (nCols === 1 ? "" : "s");
    }

    // dmvesm.html#d-<device id> or #s-<srv>: start filtered to that Device Model or SRV.
    var hash = decodeURIComponent(location.hash.slice(1));
    var target = hash && document.getElementById(hash);
    if (target && /^d-/.test(hash) && target.hasAttribute("data-device")) {
      form.elements.device.value = target.getAttribute("data-device");
    } else if (target && /^s-/.test(hash) && target.hasAttribute("data-srv")) {
      form.elements.srv.value = target.getAttribute("data-srv");
    }
    form.hidden = false;
    form.addEventListener("input", apply);
    form.addEventListener("change", apply);
    form.addEventListener("submit", function (event) { event.preventDefault(); });
    apply();
  }

  document.addEventListener("DOMContentLoaded", function () {
    clauseIndexRedirect();
    versionMenu();
    historyLinks();
    matrixFilter();
  });
})();
