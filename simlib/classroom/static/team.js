// The team page: join, set the levers, submit, see the results. Plain DOM, no framework.
// Names and every text from the server are put on the page with textContent, never as HTML.
(function () {
  "use strict";
  const T = JSON.parse(document.getElementById("simlib-texts").textContent);
  const SETTINGS = JSON.parse(document.getElementById("simlib-settings").textContent);
  const $ = (id) => document.getElementById(id);
  const fmt = (text, values) => text.replace(/\{(\w+)\}/g, (m, k) => (k in values ? String(values[k]) : m));
  const el = (tag, attrs, ...children) => {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (k === "text") node.textContent = v;
      else if (k === "class") node.className = v;
      else node.setAttribute(k, v);
    }
    for (const c of children) node.append(c);
    return node;
  };

  const me = { game: "", token: "", view: null, leversKey: null, resultsKey: null, edited: {}, online: true };
  let pollTimer = null;
  let failures = 0;

  class Offline extends Error {}

  async function api(action, body) {
    let answer;
    try {
      answer = await fetch("/team/api/" + action, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify(body),
        cache: "no-store",
      });
    } catch (err) {
      throw new Offline(String(err));
    }
    let data;
    try {
      data = await answer.json();
    } catch (err) {
      throw new Offline("not JSON: " + answer.status); // a proxy's page, a server going down
    }
    connected(true);
    return { ok: answer.ok, status: answer.status, data: data };
  }

  function connected(yes) {
    if (yes === me.online) return;
    me.online = yes;
    $("connection").textContent = yes ? T.back : T.reconnecting;
    if (yes) setTimeout(() => { if (me.online) $("connection").textContent = ""; }, 3000);
  }

  function say(box, text, kind) {
    box.textContent = text;
    box.className = box.className.replace(/\b(ok|error)\b/g, "").trim() + (kind ? " " + kind : "");
  }

  // ------------------------------------------------------------ joining

  function remember() {
    try {
      localStorage.setItem("simlib-team:" + me.game, me.token);
      localStorage.setItem("simlib-team:last", me.game);
    } catch (err) { /* private mode */ }
  }

  function remembered(game) {
    try { return localStorage.getItem("simlib-team:" + game) || ""; } catch (err) { return ""; }
  }

  async function join(event) {
    if (event) event.preventDefault();
    const game = $("game-code").value.trim().toUpperCase();
    const body = { game: game, name: $("team-name").value, token: $("team-token").value.trim().toUpperCase() };
    say($("message"), T.sending, "");
    let answer;
    try {
      answer = await api("join", body);
    } catch (err) {
      connected(false);
      say($("message"), T.reconnecting, "error");
      return;
    }
    if (!answer.ok) {
      say($("message"), answer.data.error || T.server_error, "error");
      return;
    }
    me.game = game;
    me.token = answer.data.token;
    remember();
    say($("message"), fmt(T.you_are, { name: answer.data.team, token: answer.data.token }), "ok");
    $("join").hidden = true;
    $("play").hidden = false;
    show(answer.data);
    schedule();
  }

  // ------------------------------------------------------------ polling

  function schedule() {
    clearTimeout(pollTimer);
    const wait = me.online ? SETTINGS.poll : Math.min(1 + failures, 5);
    pollTimer = setTimeout(poll, wait * 1000);
  }

  async function poll() {
    if (!me.token) return;
    try {
      const answer = await api("state", { game: me.game, token: me.token });
      failures = 0;
      if (answer.ok) show(answer.data);
      else say($("message"), answer.data.error || T.server_error, "error");
    } catch (err) {
      failures += 1;
      connected(false);
    }
    schedule();
  }

  // ------------------------------------------------------------ the round

  function show(view) {
    const first = me.view === null;
    me.view = view;
    const head = $("round");
    head.replaceChildren();
    if (view.over) {
      head.append(el("h2", { text: T.over }));
      $("levers").hidden = true;
    } else {
      head.append(el("h2", { text: fmt(T.round_of, { name: view.team, round: view.round, rounds: view.rounds }) }));
      const ev = el("p", { class: "simlib-event", "data-event": view.event.key });
      ev.append(el("b", { text: fmt(T.this_week, { title: view.event.title }) }));
      if (view.event.concept) ev.append(" (" + view.event.concept + ")");
      ev.append(". " + view.event.text);
      head.append(ev, el("p", { text: fmt(T.budget, { budget: view.budget_text }) }));
      if (view.status !== "open") head.append(el("p", { class: "simlib-closing", text: view.status === "closing" ? T.closing : T.not_open }));
      $("levers").hidden = false;
      const key = view.round + "/" + view.event.key;
      if (key !== me.leversKey) {
        if (me.leversKey !== null && !first) say($("status"), "", "");
        buildLevers(view);
        me.leversKey = key;
        updateCost();
      }
      $("levers").querySelector("button[type=submit]").disabled = view.status !== "open";
      showSent(view.submission);
    }
    const token = el("p", { class: "simlib-hint" });
    token.append(T.rejoin + ": ", el("span", { class: "simlib-token", text: view.token }));
    head.append(token);
    const rkey = view.results ? String(view.results.round) : "";
    if (rkey !== me.resultsKey) {
      me.resultsKey = rkey;
      showResults(view.results);
    }
  }

  function leverId(name) { return "lever-" + name.replace(/[^A-Za-z0-9]/g, "-"); }

  function buildLevers(view) {
    const list = $("lever-list");
    list.replaceChildren();
    const sent = view.submission ? view.submission.choices : {};
    for (const lv of view.levers) {
      const id = leverId(lv.name);
      const value = lv.name in me.edited ? me.edited[lv.name] : (lv.name in sent ? sent[lv.name] : lv.default);
      const box = el("div", { class: "simlib-lever " + id, "data-lever": lv.name });
      const hint = el("p", { class: "simlib-hint", id: id + "-hint",
        text: lv.concept + " \u00b7 " + fmt(T.moves, { half: lv.half }) + " \u00b7 " + lv.price });
      if (lv.kind === "types") {
        const set = el("fieldset", { "aria-describedby": id + "-hint" }, el("legend", { text: lv.label }));
        const options = el("div", { class: "options" });
        for (const option of lv.options) {
          const input = el("input", { type: "checkbox", id: id + "-" + option, value: option, "data-lever": lv.name });
          input.checked = value.includes(option);
          input.addEventListener("change", edited);
          options.append(el("label", { for: id + "-" + option }, input, " " + option));
        }
        set.append(options);
        box.append(set, hint);
      } else {
        const input = el("input", { type: "range", id: id, min: lv.low, max: lv.high, step: lv.step,
          "data-lever": lv.name, "aria-describedby": id + "-hint" });
        input.value = value;
        const out = el("output", { for: id, id: id + "-value", text: shown(lv, value) });
        input.addEventListener("input", () => { out.textContent = shown(lv, input.value); edited(); });
        box.append(el("label", { for: id, text: lv.label }), input, " ", out, hint);
      }
      list.append(box);
    }
  }

  function shown(lv, value) {
    const x = Number(value);
    if (lv.kind === "whole") return String(Math.round(x));
    return x.toFixed(lv.step >= 1 ? 0 : lv.step >= 0.1 ? 1 : 2);
  }

  function choices() {
    const out = {};
    for (const lv of me.view.levers) {
      if (lv.kind === "types") {
        out[lv.name] = Array.from(document.querySelectorAll(`input[type=checkbox][data-lever="${lv.name}"]`))
          .filter((b) => b.checked).map((b) => b.value);
      } else {
        const x = Number(document.getElementById(leverId(lv.name)).value);
        out[lv.name] = lv.kind === "whole" ? Math.round(x) : Math.round(x * 10000) / 10000;
      }
    }
    return out;
  }

  let costTimer = null;
  function edited() {
    const now = choices();
    for (const [k, v] of Object.entries(now)) me.edited[k] = v;
    clearTimeout(costTimer);
    costTimer = setTimeout(updateCost, 120);
  }

  async function updateCost() {
    if (!me.view || me.view.over) return;
    const asked = me.leversKey;
    let answer;
    try {
      answer = await api("cost", { game: me.game, token: me.token, round: me.view.round, choices: choices() });
    } catch (err) {
      connected(false);
      return;
    }
    if (asked !== me.leversKey) return;
    const box = $("cost");
    box.replaceChildren();
    if (!answer.ok) {
      box.append(el("span", { class: "over", text: answer.data.error || T.server_error }));
      return;
    }
    const d = answer.data;
    const cost = el("b", { class: d.over ? "over" : "", "data-cost": Math.round(d.cost), text: d.cost_text });
    const parts = fmt(T.cost, { cost: "\u0000", budget: d.budget_text }).split("\u0000");
    box.append(parts[0], cost, parts[1] || "");
    if (d.over) box.append(" \u2014 ", el("span", { class: "over", text: T.over_budget }));
  }

  async function submit(event) {
    event.preventDefault();
    const status = $("status");
    const button = $("levers").querySelector("button[type=submit]");
    button.disabled = true;
    say(status, T.sending, "");
    let answer;
    try {
      answer = await api("submit", { game: me.game, token: me.token, round: me.view.round, choices: choices() });
    } catch (err) {
      connected(false);
      say(status, T.not_sent, "error");
      button.disabled = false;
      return;
    } finally {
      if (me.view && me.view.status === "open") button.disabled = false;
    }
    if (answer.ok) {
      say(status, fmt(T.submitted, { round: answer.data.round, cost: answer.data.cost }), "ok");
      say($("message"), "", "");
      poll();
    } else {
      say(status, answer.data.error || T.server_error, "error");
    }
  }

  function played(rows) {
    const list = el("dl", { class: "simlib-played" });
    for (const [label, value] of rows) list.append(el("dt", { text: label }), el("dd", { text: value }));
    return list;
  }

  function showSent(sub) {
    const box = $("sent");
    box.replaceChildren();
    if (!sub) return;
    box.append(el("h3", { text: T.last_sent + " (" + sub.cost + ")" }), played(sub.played));
    if (sub.over) box.append(el("p", { class: "simlib-over-now", text: T.over_now }));
  }

  // ------------------------------------------------------------ the results

  function bars(mine) {
    const ns = "http://www.w3.org/2000/svg";
    const svg = document.createElementNS(ns, "svg");
    svg.setAttribute("viewBox", "0 0 380 96");
    svg.setAttribute("class", "simlib-bars");
    svg.setAttribute("role", "img");
    const names = ["value", "utility", "warranty"];
    svg.setAttribute("aria-label", names.map((n) => T[n] + " " + mine[n]).join(", "));
    names.forEach((name, i) => {
      const y = 6 + i * 30;
      const share = Math.max(0, Math.min(1, mine.numbers[name]));
      const label = document.createElementNS(ns, "text");
      label.setAttribute("x", "0"); label.setAttribute("y", String(y + 16)); label.setAttribute("font-size", "13");
      label.textContent = T[name];
      const track = document.createElementNS(ns, "rect");
      track.setAttribute("x", "160"); track.setAttribute("y", String(y)); track.setAttribute("width", "160");
      track.setAttribute("height", "22"); track.setAttribute("fill", "#e6e6e6");
      const bar = document.createElementNS(ns, "rect");
      bar.setAttribute("x", "160"); bar.setAttribute("y", String(y)); bar.setAttribute("width", String(160 * share));
      bar.setAttribute("height", "22"); bar.setAttribute("fill", name === "value" ? "#0b5394" : "#4a7d2a");
      const number = document.createElementNS(ns, "text");
      number.setAttribute("x", "326"); number.setAttribute("y", String(y + 16)); number.setAttribute("font-size", "13");
      number.textContent = mine[name];
      svg.append(label, track, bar, number);
    });
    return svg;
  }

  function showResults(results) {
    const box = $("results");
    const board = $("board");
    box.replaceChildren();
    board.replaceChildren();
    if (!results) return;
    box.append(el("h2", { text: fmt(T.your_results, { round: results.round }) }));
    if (!results.mine) {
      box.append(el("p", { text: fmt(T.joined_after, { round: results.round }) }));
    } else {
      const m = results.mine;
      const line = el("p", { class: "simlib-big" });
      for (const name of ["value", "utility", "warranty"]) {
        line.append(T[name] + " ", el("b", { "data-measure": name, text: m[name] }), " \u00b7 ");
      }
      line.append(fmt(T.rank, { rank: m.rank, teams: results.teams }), " \u00b7 " + T.cost_word + " " + m.cost);
      const mine = el("div", {}, line, bars(m), el("p", { class: "simlib-why", text: m.why }));
      const what = el("div", { class: "simlib-played-box" },
        el("h3", { text: fmt(T.you_played, { round: results.round }) }));
      if (!m.submitted) what.append(el("p", { text: T.defaults }));
      what.append(played(m.played));
      box.append(el("div", { class: "simlib-pair" }, mine, what));
    }
    board.append(el("h2", { text: fmt(T.leaderboard, { round: results.round }) }));
    const table = el("table", {});
    const head = el("tr", {});
    for (const c of T.cols) head.append(el("th", { scope: "col", text: c }));
    table.append(el("thead", {}, head));
    const body = el("tbody", {});
    for (const r of results.board) {
      const tr = el("tr", { "data-team": r.team, class: r.mine ? "mine" : "" });
      tr.append(el("td", { class: "num", text: String(r.rank) }), el("th", { scope: "row", text: r.team }),
        el("td", { text: r.value + " (" + r.value_ci + ")" }), el("td", { text: r.utility }),
        el("td", { text: r.warranty }), el("td", { class: "num", text: r.cost }));
      body.append(tr);
    }
    table.append(body);
    board.append(el("div", { class: "simlib-table-wrap", tabindex: "0", role: "region",
      "aria-label": fmt(T.leaderboard, { round: results.round }) }, table));
  }

  // ------------------------------------------------------------ start

  $("join").addEventListener("submit", join);
  $("levers").addEventListener("submit", submit);
  window.addEventListener("online", () => poll());
  if (!$("game-code").value.trim()) $("game-code").value = remembered("last");
  const code = $("game-code").value.trim().toUpperCase();
  const token = code ? remembered(code) : "";
  if (token) {  // a reloaded page rejoins its team by itself
    $("team-token").value = token;
    join(null);
  }
})();
