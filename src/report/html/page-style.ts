/** The report's stylesheet: readable on a projector, printable, no web fonts. */
export const PAGE_STYLE = `
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; margin: 0; color: #1b1f24; background: #fafbfc; }
header { padding: 16px 24px; color: #fff; }
header.pass { background: #1a7f37; } header.fail { background: #b42318; }
header h1 { margin: 0 0 4px; font-size: 24px; } header p { margin: 2px 0; }
main { padding: 8px 24px 40px; max-width: 1200px; }
section { background: #fff; border: 1px solid #d0d7de; border-radius: 6px; padding: 12px 16px; margin: 16px 0; }
section.fail { border-left: 6px solid #b42318; } section.pass { border-left: 6px solid #1a7f37; }
h2 { font-size: 18px; margin: 4px 0 8px; } h3 { font-size: 15px; margin: 14px 0 6px; }
.badge { font-size: 12px; padding: 2px 6px; border-radius: 4px; color: #fff; vertical-align: middle; }
section.pass .badge { background: #1a7f37; } section.fail .badge { background: #b42318; }
.muted, .legend { color: #57606a; }
.aborted { background: #fff1f0; border: 1px solid #b42318; color: #b42318; padding: 8px; font-weight: 600; }
dl dt { font-weight: 600; margin-top: 8px; } dl dd { margin: 2px 0 0 16px; }
.fixes li { margin-bottom: 6px; } .next { color: #57606a; }
table { border-collapse: collapse; width: 100%; font-size: 13px; }
th, td { text-align: left; border-bottom: 1px solid #eaeef2; padding: 4px 6px; vertical-align: top; }
tr.failed td { background: #fff1f0; } tr.failed .verdict { color: #b42318; font-weight: 600; } tr.ok .verdict { color: #1a7f37; }
nav ol { columns: 2; } nav li.fail a { color: #b42318; } nav li.pass a { color: #1a7f37; }
svg.timeline { width: 100%; height: auto; font-size: 11px; }
svg.timeline text.axis { fill: #57606a; } svg.timeline line.axis { stroke: #8c959f; }
rect.fault, .key.fault { fill: #ff7f0e; background: #ff7f0e; }
rect.pending, .key.pending { fill: #f2c94c; background: #f2c94c; }
rect.firing, .key.firing { fill: #d62728; background: #d62728; }
rect.suppressed, .key.suppressed { fill: #8c959f; fill-opacity: 0.55; background: #8c959f; }
line.notify-firing { stroke: #1b1f24; stroke-width: 2; } line.notify-resolved { stroke: #1a7f37; stroke-width: 2; }
.key { display: inline-block; width: 12px; height: 10px; margin: 0 4px 0 10px; } .key.tick { width: 2px; background: #1b1f24; }
.chart { margin: 8px 0; min-height: 40px; } .chart.no-data { color: #b42318; font-weight: 600; padding: 8px; border: 1px dashed #b42318; }
@media print { header { color: #000; background: none !important; } section { break-inside: avoid; } }
`;
