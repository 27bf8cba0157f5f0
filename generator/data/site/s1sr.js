/* s1sr: two small helpers for the generated site; no dependencies, no network.
 *
 * 1. Search from file://. A browser opening the site from the file system refuses to start
 *    the search Web Worker. Where that is the case, Worker is replaced by a stand-in that runs
 *    the worker script in a hidden iframe of the same page: the search worker only listens for
 *    "message" events and calls postMessage, which the stand-in forwards both ways.
 * 2. Stable clause links. On the clause index, #c-<id> opens the clause on its section page,
 *    so a link by stable id keeps working when a clause moves to another section.
 */
(function () {
  "use strict";

  if (location.protocol === "file:" && typeof window.EventTarget === "function") {
    var FrameWorker = function (url) {
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
    window.Worker = FrameWorker;
  }

  document.addEventListener("DOMContentLoaded", function () {
    if (!location.hash || !document.querySelector(".s1sr-clause-index")) return;
    var id = decodeURIComponent(location.hash.slice(1));
    var anchor = document.getElementById(id);
    var cell = anchor && anchor.closest("td");
    var link = cell && cell.querySelector("a[href]");
    if (link) location.replace(link.href);
  });
})();
