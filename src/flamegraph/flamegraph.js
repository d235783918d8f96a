// Interactivity of one flame graph: click to zoom, Reset Zoom, regex search with "Matched: x%",
// details line on hover. Inlined by svg.ts inside CDATA, followed by `(config)`: this file is one
// function expression, so it must not end with a semicolon and must never contain the CDATA end marker.
// It finds its own <svg> (document.currentScript), touches nothing outside it and defines no
// globals, so several graphs can live on one HTML page. The page can drive it through
// `svgElement.flamegraph` = { search(re), resetSearch(), zoom(index), reset(), frames() }.
(function (cfg) {
  'use strict';
  var cs = document.currentScript;
  var root = (cs && cs.ownerSVGElement) || document.getElementById(cfg.p + 'root');
  if (!root || root.flamegraph) return;
  function byId(id) {
    return root.querySelector('#' + cfg.p + id);
  }
  var framesG = byId('frames');
  var details = byId('details');
  var unzoomBtn = byId('unzoom');
  var searchBtn = byId('search');
  var matchedT = byId('matched');
  var SVGNS = 'http://www.w3.org/2000/svg';

  var gs = [];
  for (var el = framesG.firstElementChild; el; el = el.nextElementSibling) gs.push(el);
  var n = gs.length;
  var X = new Float64Array(n);
  var W = new Float64Array(n);
  var Y = new Float64Array(n);
  var rects = new Array(n);
  var texts = new Array(n);
  var fills = new Array(n);
  var names = null;
  var index = new Map();
  for (var i = 0; i < n; i++) {
    var g = gs[i];
    var r = g.firstElementChild.nextElementSibling;
    rects[i] = r;
    texts[i] = r.nextElementSibling;
    X[i] = parseFloat(r.getAttribute('x'));
    W[i] = parseFloat(r.getAttribute('width'));
    Y[i] = parseFloat(r.getAttribute('y'));
    fills[i] = r.getAttribute('fill');
    index.set(g, i);
  }
  var full = cfg.width - 2 * cfg.xpad;
  var zoomed = -1;
  var searching = null;

  function titleOf(i) {
    return gs[i].firstElementChild.textContent;
  }
  // The title is `name (info)`; info never contains " (", so the last one splits it.
  function nameOf(i) {
    var t = titleOf(i);
    var k = t.lastIndexOf(' (');
    return k < 0 ? t : t.slice(0, k);
  }
  function allNames() {
    if (!names) {
      names = new Array(n);
      for (var i = 0; i < n; i++) names[i] = nameOf(i);
    }
    return names;
  }
  function label(name, w) {
    var fit = Math.floor((w - 6) / (cfg.fontSize * cfg.fontWidth));
    if (fit < 3) return '';
    return name.length <= fit ? name : name.slice(0, fit - 2) + '..';
  }
  function place(i, x, w) {
    var r = rects[i];
    r.setAttribute('x', x.toFixed(2));
    r.setAttribute('width', w.toFixed(2));
    var s = label(allNames()[i], w);
    var t = texts[i];
    if (!t) {
      if (!s) return;
      t = document.createElementNS(SVGNS, 'text');
      t.setAttribute('y', (Y[i] + (cfg.frameHeight - 1) / 2 + cfg.fontSize / 3).toFixed(1));
      gs[i].appendChild(t);
      texts[i] = t;
    }
    t.setAttribute('x', (x + 3).toFixed(2));
    t.textContent = s;
  }

  function zoom(target) {
    var x0 = X[target];
    var w0 = W[target];
    var y0 = Y[target];
    var ratio = full / w0;
    var tol = 0.011; // x and width are written with two decimals
    for (var j = 0; j < n; j++) {
      var g = gs[j];
      var upstack = cfg.inverted ? Y[j] < y0 : Y[j] > y0;
      var show;
      if (upstack) {
        show = X[j] <= x0 + tol && X[j] + W[j] >= x0 + w0 - tol;
        if (show) place(j, cfg.xpad, full);
        g.style.opacity = show ? '0.5' : '';
      } else {
        show = X[j] >= x0 - tol && X[j] + W[j] <= x0 + w0 + tol;
        if (show) place(j, cfg.xpad + (X[j] - x0) * ratio, W[j] * ratio);
        g.style.opacity = '';
      }
      g.style.display = show ? '' : 'none';
    }
    zoomed = target;
    unzoomBtn.style.opacity = '1';
  }
  function reset() {
    if (zoomed < 0) return;
    for (var j = 0; j < n; j++) {
      gs[j].style.display = '';
      gs[j].style.opacity = '';
      place(j, X[j], W[j]);
    }
    zoomed = -1;
    unzoomBtn.style.opacity = '0';
  }

  function search(pattern) {
    var re = pattern instanceof RegExp ? pattern : new RegExp(String(pattern));
    var nm = allNames();
    var hits = [];
    for (var j = 0; j < n; j++) {
      re.lastIndex = 0;
      if (re.test(nm[j])) {
        rects[j].setAttribute('fill', cfg.searchColor);
        hits.push(j);
      } else if (searching) {
        rects[j].setAttribute('fill', fills[j]);
      }
    }
    // Overlapping frames are ancestor and descendant: count the union of their x ranges once.
    hits.sort(function (a, b) {
      return X[a] - X[b];
    });
    var covered = 0;
    var end = -Infinity;
    for (var k = 0; k < hits.length; k++) {
      var h = hits[k];
      var s = Math.max(X[h], end);
      var e = X[h] + W[h];
      if (e > s) covered += e - s;
      if (e > end) end = e;
    }
    var pct = Math.min(100, (100 * covered) / full);
    searching = re;
    matchedT.textContent = 'Matched: ' + pct.toFixed(1) + '%';
    searchBtn.textContent = 'Reset Search';
    return pct;
  }
  function resetSearch() {
    if (!searching) return;
    for (var j = 0; j < n; j++) rects[j].setAttribute('fill', fills[j]);
    searching = null;
    matchedT.textContent = ' ';
    searchBtn.textContent = 'Search';
  }
  function promptSearch() {
    var term = window.prompt('Enter a search term (regexp allowed, e.g. ^ngx_http_)', '');
    if (term) {
      try {
        search(term);
      } catch (err) {
        details.textContent = 'Invalid regexp: ' + err.message;
      }
    }
  }

  function frameOf(node) {
    while (node && node.parentNode !== framesG) node = node.parentNode;
    return node ? index.get(node) : undefined;
  }
  framesG.addEventListener('click', function (ev) {
    var i = frameOf(ev.target);
    if (i !== undefined) zoom(i);
  });
  framesG.addEventListener('mouseover', function (ev) {
    var i = frameOf(ev.target);
    if (i !== undefined) details.textContent = cfg.nameType + ' ' + titleOf(i);
  });
  framesG.addEventListener('mouseout', function () {
    details.textContent = ' ';
  });
  unzoomBtn.addEventListener('click', reset);
  searchBtn.addEventListener('click', function () {
    if (searching) resetSearch();
    else promptSearch();
  });
  // Keyboard shortcuts only when the SVG is the whole document: inside a page they would steal Ctrl-F.
  if (root === document.documentElement) {
    window.addEventListener('keydown', function (ev) {
      if (ev.keyCode === 114 || ((ev.ctrlKey || ev.metaKey) && ev.keyCode === 70)) {
        ev.preventDefault();
        promptSearch();
      } else if (ev.key === 'Escape') {
        reset();
        resetSearch();
      }
    });
  }

  root.flamegraph = {
    search: search,
    resetSearch: resetSearch,
    zoom: function (i) {
      zoom(typeof i === 'number' ? i : index.get(i));
    },
    reset: reset,
    frames: function () {
      return n;
    },
  };
})
