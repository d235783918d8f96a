// Interactivity of one flame graph: click to zoom, Reset Zoom, regex search with "Matched: x%",
// case-insensitive search ("ic", Ctrl-I), details line on hover, search and zoom kept in the URL
// (?s=regex, ?x=&y= of the zoomed frame, as flamegraph.pl), labels re-fitted on window resize.
// Inlined by svg.ts inside CDATA, followed by `(config)`: this file is one function expression, so
// it must not end with a semicolon and must never contain the CDATA end marker.
// It finds its own <svg> (document.currentScript), touches nothing outside it and defines no
// globals, so several graphs can live on one HTML page. The page can drive it through
// `svgElement.flamegraph` = { search(re), resetSearch(), zoom(index), reset(), frames(), relayout(width) }.
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
  var icBtn = byId('ignorecase');
  var SVGNS = 'http://www.w3.org/2000/svg';
  var standalone = root === document.documentElement;
  // URL parameters: plain (s, x, y) for a standalone SVG; on a page with several graphs, zoom is
  // kept per graph under its id prefix (fg0-x, fg0-y), and a search may be per graph (fg0-s) or for all (s).
  var key = function (k) {
    return standalone ? k : cfg.p + k;
  };

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
    if (r.localName === 'a') r = r.firstElementChild; // a --nameattr link around rect and label
    rects[i] = r;
    texts[i] = r.nextElementSibling;
    X[i] = parseFloat(r.getAttribute('x'));
    W[i] = parseFloat(r.getAttribute('width'));
    Y[i] = parseFloat(r.getAttribute('y'));
    fills[i] = r.getAttribute('fill');
    index.set(g, i);
  }
  var width = cfg.width;
  var full = width - 2 * cfg.xpad;
  var zoomed = -1;
  var searching = null;
  var ignoreCase = false;

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
      r.parentNode.appendChild(t);
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
    setParams({ x: X[target].toFixed(2), y: Y[target].toFixed(1) });
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
    setParams({ x: null, y: null });
  }

  // The URL keeps the search and the zoomed frame, so a link or a reload shows the same view.
  function setParams(kv) {
    try {
      var url = new URL(window.location.href);
      for (var k in kv) {
        if (kv[k] === null) url.searchParams.delete(key(k));
        else url.searchParams.set(key(k), kv[k]);
      }
      if (url.href !== window.location.href) window.history.replaceState(window.history.state, '', url.href);
    } catch (e) {
      // a page that forbids it (sandboxed frame, data: URL): the view just is not kept
    }
  }
  function getParam(k) {
    try {
      var sp = new URL(window.location.href).searchParams;
      return sp.get(key(k)) !== null ? sp.get(key(k)) : standalone ? null : k === 's' ? sp.get('s') : null;
    } catch (e) {
      return null;
    }
  }

  // Frames are placed for the width they were drawn at; a new width scales x and re-fits the labels.
  function relayout(newWidth) {
    newWidth = Math.round(newWidth);
    if (!(newWidth > 2 * cfg.xpad + 10) || newWidth === width) return;
    var scale = (newWidth - 2 * cfg.xpad) / full;
    for (var j = 0; j < n; j++) {
      X[j] = cfg.xpad + (X[j] - cfg.xpad) * scale;
      W[j] = W[j] * scale;
    }
    var dx = newWidth - width;
    width = newWidth;
    full = newWidth - 2 * cfg.xpad;
    var h = root.getAttribute('height');
    root.setAttribute('width', String(width));
    root.setAttribute('viewBox', '0 0 ' + width + ' ' + h);
    var bg = root.querySelector('rect');
    if (bg && bg.parentNode === root) bg.setAttribute('width', String(width));
    var moves = [searchBtn, matchedT, icBtn];
    for (var m = 0; m < moves.length; m++) {
      if (moves[m]) moves[m].setAttribute('x', (parseFloat(moves[m].getAttribute('x')) + dx).toFixed(0));
    }
    var titles = root.querySelectorAll('.' + cfg.p + 'title, .' + cfg.p + 'subtitle');
    for (var t = 0; t < titles.length; t++) titles[t].setAttribute('x', String(Math.trunc(width / 2)));
    if (zoomed >= 0) zoom(zoomed);
    else for (var k = 0; k < n; k++) place(k, X[k], W[k]);
    if (searching) search(searching.source);
  }

  function search(pattern) {
    var re = pattern instanceof RegExp ? pattern : new RegExp(String(pattern), ignoreCase ? 'i' : '');
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
    setParams({ s: re.source });
    return pct;
  }
  function resetSearch() {
    if (!searching) return;
    for (var j = 0; j < n; j++) rects[j].setAttribute('fill', fills[j]);
    searching = null;
    matchedT.textContent = ' ';
    searchBtn.textContent = 'Search';
    setParams({ s: null });
  }
  function toggleIgnoreCase() {
    ignoreCase = !ignoreCase;
    if (icBtn) icBtn.style.fill = ignoreCase ? cfg.searchColor : '';
    if (searching) {
      var source = searching.source;
      for (var j = 0; j < n; j++) rects[j].setAttribute('fill', fills[j]);
      searching = null;
      search(source);
    }
    return ignoreCase;
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
  if (icBtn) icBtn.addEventListener('click', toggleIgnoreCase);

  // Keyboard: Ctrl-F / F3 search, Ctrl-I case-insensitive, Escape resets. Standalone, always; on a
  // page, only for the graph under the pointer or last clicked, so the page keeps its own Ctrl-F.
  var hovered = false;
  var clicked = false;
  root.addEventListener('mouseenter', function () {
    hovered = true;
  });
  root.addEventListener('mouseleave', function () {
    hovered = false;
  });
  document.addEventListener(
    'mousedown',
    function (ev) {
      clicked = root.contains(ev.target);
    },
    true,
  );
  window.addEventListener('keydown', function (ev) {
    if (!standalone && !hovered && !clicked) return;
    var ctrl = ev.ctrlKey || ev.metaKey;
    if (ev.keyCode === 114 || (ctrl && ev.keyCode === 70)) {
      ev.preventDefault();
      promptSearch();
    } else if (ctrl && ev.keyCode === 73) {
      ev.preventDefault();
      toggleIgnoreCase();
    } else if (ev.key === 'Escape') {
      reset();
      resetSearch();
    }
  });

  // Text re-laid out on resize: a standalone SVG follows the window's width once it changes.
  if (standalone) {
    var resizeTimer = 0;
    window.addEventListener('resize', function () {
      clearTimeout(resizeTimer);
      resizeTimer = setTimeout(function () {
        relayout(window.innerWidth);
      }, 50);
    });
  }

  // The view in the URL: zoom on the frame at (x, y), then search.
  var px = parseFloat(getParam('x'));
  var py = parseFloat(getParam('y'));
  if (isFinite(px) && isFinite(py)) {
    for (var z = 0; z < n; z++) {
      if (Math.abs(X[z] - px) < 0.011 && Math.abs(Y[z] - py) < 0.051) {
        zoom(z);
        break;
      }
    }
  }
  var ps = getParam('s');
  if (ps) {
    try {
      search(ps);
    } catch (err) {
      details.textContent = 'Invalid regexp in the URL: ' + err.message;
    }
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
    ignoreCase: toggleIgnoreCase,
    relayout: relayout,
  };
})
