/* policy-analyzer archive: progressive enhancement for the compare and search pages.
 *
 * Every page reads without this script. Data files (<policy>/<version>/clauses.js,
 * search/index.js) are plain script files that call policyArchive.receive(kind, data): that
 * works over http and straight from the disk (file://), where fetch() would be refused.
 * Policy text only ever reaches the page through textContent, never as HTML.
 */
(function () {
  "use strict";

  var archive = (window.policyArchive = window.policyArchive || {});
  var received = {};

  archive.receive = function (kind, data) {
    var key = kind === "clauses" ? "clauses:" + data.key : kind;
    received[key] = data;
  };

  function load(src, key) {
    return new Promise(function (resolve, reject) {
      if (received[key]) {
        resolve(received[key]);
        return;
      }
      var script = document.createElement("script");
      script.src = src;
      script.onload = function () {
        if (received[key]) resolve(received[key]);
        else reject(new Error("no data in " + src));
      };
      script.onerror = function () {
        reject(new Error("cannot load " + src));
      };
      document.head.appendChild(script);
    });
  }

  function el(tag, text, className) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = text;
    if (className) node.className = className;
    return node;
  }

  function params() {
    return new URLSearchParams(window.location.search);
  }

  // -- word diff ---------------------------------------------------------------------------

  var TOKEN = /[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]|\d+(?:[.,:\/\-]\d+)+|(?:(?![\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff])[\p{L}\p{N}\p{M}])+(?:['\u2019](?:(?![\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff])[\p{L}\p{N}\p{M}])+)*|\s+|[\s\S]/gu;
  var MAX_EDITS = 1500;

  function tokens(text) {
    return text.match(TOKEN) || [];
  }

  // Myers' O(ND) difference of two token arrays; null when more than MAX_EDITS edits.
  function myers(a, b) {
    var n = a.length, m = b.length, max = Math.min(n + m, MAX_EDITS);
    var off = n + m + 1;
    var v = new Int32Array(2 * (n + m) + 3);
    var trace = [];
    for (var d = 0; d <= max; d++) {
      trace.push(v.slice(off - d, off + d + 1));
      for (var k = -d; k <= d; k += 2) {
        var x;
        if (k === -d || (k !== d && v[off + k - 1] < v[off + k + 1])) x = v[off + k + 1];
        else x = v[off + k - 1] + 1;
        var y = x - k;
        while (x < n && y < m && a[x] === b[y]) { x++; y++; }
        v[off + k] = x;
        if (x >= n && y >= m) return backtrack(a, b, trace, d);
      }
    }
    return null;
  }

  function backtrack(a, b, trace, depth) {
    var x = a.length, y = b.length, ops = [];
    for (var d = depth; d > 0; d--) {
      var w = trace[d], k = x - y;
      var at = function (kk) { return w[kk + d]; };
      var prevK = (k === -d || (k !== d && at(k - 1) < at(k + 1))) ? k + 1 : k - 1;
      var prevX = at(prevK), prevY = prevX - prevK;
      while (x > prevX && y > prevY) { ops.push(["=", a[x - 1]]); x--; y--; }
      if (x === prevX) { ops.push(["+", b[y - 1]]); y--; }
      else { ops.push(["-", a[x - 1]]); x--; }
    }
    while (x > 0 && y > 0) { ops.push(["=", a[x - 1]]); x--; y--; }
    return ops.reverse();
  }

  function wordDiff(before, after) {
    var a = tokens(before), b = tokens(after);
    var head = 0;
    while (head < a.length && head < b.length && a[head] === b[head]) head++;
    var tail = 0;
    while (tail < a.length - head && tail < b.length - head &&
           a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
    var middle = myers(a.slice(head, a.length - tail), b.slice(head, b.length - tail));
    if (middle === null) {
      middle = a.slice(head, a.length - tail).map(function (t) { return ["-", t]; })
        .concat(b.slice(head, b.length - tail).map(function (t) { return ["+", t]; }));
    }
    var ops = a.slice(0, head).map(function (t) { return ["=", t]; })
      .concat(middle, a.slice(a.length - tail).map(function (t) { return ["=", t]; }));
    return tidy(ops);
  }

  // Joins tokens into runs, and reads "- a, = space, - b" with additions around it as one
  // removal and one addition, the way a person reads a replaced phrase.
  function tidy(ops) {
    var out = [], del = "", ins = "";
    function flush() {
      if (del) out.push(["-", del]);
      if (ins) out.push(["+", ins]);
      del = ins = "";
    }
    for (var i = 0; i < ops.length; i++) {
      var op = ops[i];
      if (op[0] === "-") { del += op[1]; continue; }
      if (op[0] === "+") { ins += op[1]; continue; }
      var between = (del || ins) && /^\s+$/.test(op[1]) && i + 1 < ops.length && ops[i + 1][0] !== "=";
      if (between) { del += op[1]; ins += op[1]; continue; }
      flush();
      var last = out[out.length - 1];
      if (last && last[0] === "=") last[1] += op[1];
      else out.push(["=", op[1]]);
    }
    flush();
    return out;
  }

  function redline(ops) {
    var p = el("p", null, "redline");
    ops.forEach(function (op) {
      var tag = op[0] === "=" ? "span" : op[0] === "-" ? "del" : "ins";
      p.appendChild(el(tag, op[1]));
    });
    return p;
  }

  // -- compare -----------------------------------------------------------------------------

  // Positions (into `values`) on one longest strictly increasing subsequence.
  function increasing(values) {
    var tails = [], links = new Array(values.length);
    for (var i = 0; i < values.length; i++) {
      var lo = 0, hi = tails.length;
      while (lo < hi) {
        var mid = (lo + hi) >> 1;
        if (values[tails[mid]] < values[i]) lo = mid + 1; else hi = mid;
      }
      links[i] = lo > 0 ? tails[lo - 1] : -1;
      tails[lo] = i;
    }
    var keep = new Set();
    for (var at = tails.length ? tails[tails.length - 1] : -1; at >= 0; at = links[at]) keep.add(at);
    return keep;
  }

  function clauseText(c) {
    return c[3] ? c[3] + "\n" + c[4] : c[4];
  }

  function compareRows(from, to) {
    var a = from.clauses, b = to.clauses;
    var inA = new Map(), inB = new Set();
    a.forEach(function (c, i) { inA.set(c[0], i); });
    b.forEach(function (c) { inB.add(c[0]); });
    var matched = [];
    b.forEach(function (c) { if (inA.has(c[0])) matched.push(inA.get(c[0])); });
    var onOrder = increasing(matched), inOrder = new Set();
    onOrder.forEach(function (pos) { inOrder.add(matched[pos]); });
    var rows = [], next = 0;
    function flushRemoved(limit) {
      for (; next < limit; next++) {
        if (!inB.has(a[next][0])) rows.push({ kind: "removed", old: a[next] });
      }
    }
    b.forEach(function (c) {
      var i = inA.get(c[0]);
      if (i === undefined) { rows.push({ kind: "added", new: c }); return; }
      if (inOrder.has(i)) { flushRemoved(i); next = Math.max(next, i + 1); }
      var old = a[i], same = clauseText(old) === clauseText(c);
      var kind = !inOrder.has(i) ? "moved" : !same ? "modified"
        : old[1] !== c[1] ? "renumbered" : "unchanged";
      rows.push({ kind: kind, old: old, new: c, same: same });
    });
    flushRemoved(a.length);
    return rows;
  }

  function renderCompare(root, from, to, showAll, policyRoot) {
    var rows = compareRows(from, to);
    var counts = {};
    rows.forEach(function (r) { counts[r.kind] = (counts[r.kind] || 0) + 1; });
    root.textContent = "";
    var heading = el("h2", "From " + from.key + " to " + to.key);
    heading.id = "compare-title";
    root.appendChild(heading);
    var parts = ["added", "removed", "modified", "moved", "renumbered"].filter(function (k) {
      return counts[k];
    }).map(function (k) { return counts[k] + " " + k; });
    root.appendChild(el("p", parts.length ? parts.join(", ") + "; " + (counts.unchanged || 0) +
      " unchanged" : "No clause changed.", "lead"));
    var list = el("div", null, "compare-rows");
    var hidden = 0;
    rows.forEach(function (r) {
      if (r.kind === "unchanged" && !showAll) { hidden++; return; }
      var side = r.new || r.old, version = r.new ? to.key : from.key;
      var item = el("article", null, "change kind-" + r.kind);
      var h = el("h3");
      var link = el("a", side[1] || "(untitled)");
      link.href = policyRoot + version + "/index.html#" + side[0];
      h.appendChild(link);
      h.appendChild(document.createTextNode(" "));
      h.appendChild(el("span", r.kind, "kind"));
      if (r.old && r.new && r.old[1] !== r.new[1]) h.appendChild(el("span", "was " + r.old[1], "was"));
      item.appendChild(h);
      if (r.kind === "added") item.appendChild(redline([["+", clauseText(r.new)]]));
      else if (r.kind === "removed") item.appendChild(redline([["-", clauseText(r.old)]]));
      else if (!r.same) item.appendChild(redline(wordDiff(clauseText(r.old), clauseText(r.new))));
      else item.appendChild(el("p", clauseText(r.new), "unchanged-text"));
      var history = el("a", "History of this clause");
      history.href = policyRoot + "clause/" + side[0] + ".html";
      var p = el("p", null, "small");
      p.appendChild(history);
      item.appendChild(p);
      list.appendChild(item);
    });
    if (hidden) root.appendChild(el("p", hidden + " unchanged clauses are not shown.", "muted"));
    root.appendChild(list);
  }

  function setupCompare(form) {
    var q = params(), from = q.get("from"), to = q.get("to");
    var sources = {};
    document.querySelectorAll(".compare-data a[data-version]").forEach(function (a) {
      sources[a.getAttribute("data-version")] = a.getAttribute("href");
    });
    if (from && sources[from]) form.elements.from.value = from;
    if (to && sources[to]) form.elements.to.value = to;
    if (q.get("all")) form.elements.all.checked = true;
    var result = document.getElementById("compare-result");
    if (!from || !to) return;
    if (!sources[from] || !sources[to]) {
      result.appendChild(el("p", "Unknown version: pick two versions from the lists.", "error"));
      return;
    }
    result.appendChild(el("p", "Loading…", "muted"));
    Promise.all([load(sources[from], "clauses:" + from), load(sources[to], "clauses:" + to)])
      .then(function (both) {
        renderCompare(result, both[0], both[1], !!q.get("all"), "../");
        document.querySelectorAll("[data-hide-with-script]").forEach(function (n) { n.hidden = true; });
        result.setAttribute("tabindex", "-1");
        result.focus();
      })
      .catch(function (error) {
        result.textContent = "";
        result.appendChild(el("p", "Cannot compare: " + error.message, "error"));
      });
  }

  // -- search ------------------------------------------------------------------------------

  function rangesText(keys, ranges) {
    var count = 0;
    ranges.forEach(function (r) { count += r[1] - r[0] + 1; });
    var first = keys[ranges[0][0]], last = keys[ranges[ranges.length - 1][1]];
    return count === 1 ? "in " + first : "in " + count + " versions, " + first + " to " + last;
  }

  function snippet(text, term) {
    var p = el("p", null, "snippet");
    var lower = text.toLowerCase(), at = lower.indexOf(term);
    var start = Math.max(0, at - 90), end = Math.min(text.length, at + term.length + 160);
    if (start > 0) p.appendChild(document.createTextNode("…"));
    p.appendChild(document.createTextNode(text.slice(start, at)));
    p.appendChild(el("mark", text.slice(at, at + term.length)));
    p.appendChild(document.createTextNode(text.slice(at + term.length, end)));
    if (end < text.length) p.appendChild(document.createTextNode("…"));
    return p;
  }

  function runSearch(index, query, status, list) {
    var terms = query.toLowerCase().split(/\s+/).filter(Boolean);
    list.textContent = "";
    if (!terms.length) { status.textContent = ""; return; }
    if (!index.lower) index.lower = index.docs.map(function (d) { return d[3].toLowerCase(); });
    var hits = [];
    for (var i = 0; i < index.docs.length; i++) {
      var text = index.lower[i], all = true;
      for (var t = 0; t < terms.length && all; t++) all = text.indexOf(terms[t]) >= 0;
      if (all) hits.push(index.docs[i]);
    }
    hits.sort(function (x, y) {
      return x[0] - y[0] || y[4][y[4].length - 1][1] - x[4][x[4].length - 1][1];
    });
    var shown = hits.slice(0, 200);
    status.textContent = hits.length === 0 ? "No clause contains " + terms.join(" and ") + "."
      : hits.length + " wording" + (hits.length === 1 ? "" : "s") + " found" +
        (hits.length > shown.length ? "; the first " + shown.length + " are shown." : ".");
    shown.forEach(function (doc) {
      var policy = index.policies[doc[0]], keys = policy[2];
      var newest = keys[doc[4][doc[4].length - 1][1]];
      var li = el("li", null, "result");
      var h = el("h2");
      var link = el("a", policy[1] + " — " + (doc[2] || "clause"));
      link.href = "../" + policy[0] + "/" + newest + "/index.html#" + doc[1];
      h.appendChild(link);
      li.appendChild(h);
      li.appendChild(snippet(doc[3], terms[0]));
      var meta = el("p", rangesText(keys, doc[4]) + " · ", "muted small");
      var history = el("a", "history of this clause");
      history.href = "../" + policy[0] + "/clause/" + doc[1] + ".html";
      meta.appendChild(history);
      li.appendChild(meta);
      list.appendChild(li);
    });
  }

  function setupSearch(form) {
    document.querySelectorAll("[data-hide-with-script]").forEach(function (n) { n.hidden = true; });
    var status = document.getElementById("search-status");
    var list = document.getElementById("search-results");
    var query = params().get("q") || "";
    form.elements.q.value = query;
    if (!query.trim()) return;
    status.textContent = "Searching…";
    load(form.getAttribute("data-index"), "search").then(function (index) {
      runSearch(index, query, status, list);
    }).catch(function (error) {
      status.textContent = "Search is unavailable: " + error.message;
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var compare = document.querySelector("form[data-compare]");
    if (compare) setupCompare(compare);
    var search = document.querySelector("form[data-search]");
    if (search) setupSearch(search);
  });

  archive.wordDiff = wordDiff;
  archive.compareRows = compareRows;
})();
