// Combinable filter of all open challenges (theme × kind of help × place × team size).
// Progressive: without JavaScript the form stays hidden and the facet pages are the filter. The data file
// (all open challenges, compact) is fetched only when a visitor first changes a control.
(function () {
  "use strict";
  var form = document.getElementById("sc-filter");
  if (!form || !window.fetch) return;
  var results = document.getElementById("sc-filter-results");
  var cards = document.getElementById("sc-open");
  var status = document.getElementById("sc-filter-status");
  var data = null;

  function load() {
    if (!data) data = fetch(form.getAttribute("data-src")).then(function (r) { return r.json(); });
    return data;
  }

  function chosen(name) {
    var value = form.elements[name].value;
    return value === "" ? null : value;
  }

  function fits(row, facets, wanted) {
    if (wanted.theme !== null && row[4].indexOf(facets.theme.index[wanted.theme]) < 0) return false;
    if (wanted.need !== null && row[5].indexOf(facets.need.index[wanted.need]) < 0) return false;
    if (wanted.district !== null && row[6] !== facets.district.index[wanted.district]) return false;
    if (wanted.team !== null) {
      var range = wanted.team.split("-"), low = +range[0], high = range[1] ? +range[1] : Infinity;
      if (!row[7]) return false;  // no team size stated: not a team day
      var most = row[8] || Infinity;
      if (row[7] > high || most < low) return false;
    }
    return true;
  }

  function card(row, payload, base) {
    var article = document.createElement("article"), title = document.createElement("h2");
    var link = document.createElement("a"), meta = document.createElement("p");
    article.className = "sc-card";
    title.className = "sc-card__title";
    link.href = base + payload.base + row[0] + "/";
    link.textContent = row[1];
    title.appendChild(link);
    meta.className = "sc-card__meta";
    var place = row[6] >= 0 ? payload.facets.district[row[6]][1] : "";
    meta.textContent = payload.orgs[row[2]] + (place ? " · " + place : "");
    article.appendChild(title);
    article.appendChild(meta);
    if (row[3]) {
      var facts = document.createElement("p");
      facts.className = "sc-card__facts";
      facts.textContent = row[3];
      article.appendChild(facts);
    }
    return article;
  }

  function indexed(list) {
    var index = {};
    list.forEach(function (pair, i) { index[pair[0]] = i; });
    return { index: index };
  }

  function apply() {
    var wanted = { theme: chosen("theme"), need: chosen("need"), district: chosen("district"), team: chosen("team") };
    var none = wanted.theme === null && wanted.need === null && wanted.district === null && wanted.team === null;
    if (none) {
      results.hidden = true;
      cards.hidden = false;
      status.textContent = "";
      return;
    }
    load().then(function (payload) {
      var facets = { theme: indexed(payload.facets.theme), need: indexed(payload.facets.need),
                     district: indexed(payload.facets.district) };
      var found = payload.rows.filter(function (row) { return fits(row, facets, wanted); });
      var list = document.createDocumentFragment();
      found.forEach(function (row) { list.appendChild(card(row, payload, form.getAttribute("data-base"))); });
      results.replaceChildren(list);
      results.hidden = false;
      cards.hidden = true;
      status.textContent = (found.length === 1 ? form.getAttribute("data-one") : form.getAttribute("data-many"))
        .replace("{n}", found.length);
    });
  }

  form.addEventListener("change", apply);
  form.addEventListener("reset", function () { setTimeout(apply, 0); });
  form.addEventListener("submit", function (event) { event.preventDefault(); apply(); });
})();
