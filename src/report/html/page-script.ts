/**
 * The report's own script, run in the browser after uPlot's: draws every chart from the JSON
 * embedded in the page. Each chart element gets `data-points` (values drawn) so that a test, or
 * a person, can tell a chart with data from an empty one; an empty chart says "no data".
 * Plain ES2017 in a string: the page must open from a file in any browser, with nothing to load.
 */
export const PAGE_SCRIPT = String.raw`
(function () {
  var data = JSON.parse(document.getElementById('firedrill-data').textContent);
  function marksPlugin(marks, threshold) {
    return { hooks: { draw: [function (u) {
      var ctx = u.ctx;
      ctx.save();
      ctx.lineWidth = 1;
      marks.forEach(function (m) {
        var x = Math.round(u.valToPos(m.at, 'x', true));
        if (x < u.bbox.left || x > u.bbox.left + u.bbox.width) return;
        ctx.strokeStyle = m.label.indexOf('revert') === 0 ? '#2ca02c' : '#ff7f0e';
        ctx.setLineDash([]);
        ctx.beginPath(); ctx.moveTo(x, u.bbox.top); ctx.lineTo(x, u.bbox.top + u.bbox.height); ctx.stroke();
      });
      if (threshold !== null) {
        var y = Math.round(u.valToPos(threshold, 'y', true));
        ctx.strokeStyle = '#d62728';
        ctx.setLineDash([6, 4]);
        ctx.beginPath(); ctx.moveTo(u.bbox.left, y); ctx.lineTo(u.bbox.left + u.bbox.width, y); ctx.stroke();
      }
      ctx.restore();
    }] } };
  }
  document.querySelectorAll('[data-chart]').forEach(function (el) {
    var spec = data.charts[el.getAttribute('data-chart')];
    var points = 0;
    spec.series.forEach(function (s) { s.values.forEach(function (v) { if (v !== null && isFinite(v)) points++; }); });
    el.setAttribute('data-points', String(points));
    if (points === 0) {
      el.classList.add('no-data');
      el.textContent = spec.title + ': no data over the drill';
      return;
    }
    var values = [];
    spec.series.forEach(function (s) { s.values.forEach(function (v) { if (v !== null) values.push(v); }); });
    if (spec.threshold !== null) values.push(spec.threshold);
    var lo = Math.min.apply(null, values.concat([0])), hi = Math.max.apply(null, values);
    var opts = {
      title: spec.title,
      width: Math.max(320, el.clientWidth || 900),
      height: 220,
      scales: { y: { range: [lo, hi > lo ? hi + 0.1 * (hi - lo) : lo + 1] } },
      series: [{}].concat(spec.series.map(function (s) { return { label: s.label, stroke: s.color, width: 1.5, spanGaps: false }; })),
      plugins: [marksPlugin(spec.marks, spec.threshold)]
    };
    new uPlot(opts, [spec.x].concat(spec.series.map(function (s) { return s.values; })), el);
  });
  document.body.setAttribute('data-rendered', 'true');
})();
`;
