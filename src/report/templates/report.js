// The report's only script of its own: nothing here fetches anything. Flame graphs carry their
// own scripts (from src/flamegraph). Printing: show every collapsed <details> block.
(function () {
  'use strict';
  window.addEventListener('beforeprint', function () {
    document.querySelectorAll('details').forEach(function (d) { d.setAttribute('open', ''); });
  });
})();
