// The HTML report's inline style sheet (kept apart from the markup so that
// html_report.cc reads as the page's structure).
#ifndef FAULTDRILL_REPORTS_HTML_STYLE_H_
#define FAULTDRILL_REPORTS_HTML_STYLE_H_

namespace faultdrill::reports {

inline constexpr char kReportCss[] = R"css(:root {
  --fg: #1f2933; --muted: #616e7c; --line: #e4e7eb; --bg: #f4f5f7;
  --pass: #2f855a; --pass-bg: #e6f4ea; --fail: #c53030; --fail-bg: #fdf0f0;
  --warn: #b7791f; --warn-bg: #fdf6e3; --neutral: #52606d; --neutral-bg: #eef0f3;
}
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--fg);
  font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
main { max-width: 1240px; margin: 0 auto; padding: 24px 28px 40px; }
header, section { background: #fff; border: 1px solid var(--line); border-radius: 8px;
  padding: 18px 22px; margin-bottom: 18px; }
.title { display: flex; align-items: center; gap: 14px; flex-wrap: wrap; }
h1 { font-size: 24px; margin: 0; word-break: break-word; }
h2 { font-size: 17px; margin: 0 0 10px; }
h3 { font-size: 14px; margin: 16px 0 6px; }
.title { margin-bottom: 14px; }
.header-score { margin-left: auto; display: flex; align-items: baseline; justify-content: flex-end; gap: 4px;
  flex-wrap: wrap; min-width: 180px; }
.header-score .value { font-size: 30px; font-weight: 700; font-variant-numeric: tabular-nums; }
.header-score .of { color: var(--muted); font-size: 15px; }
.header-score .meter { flex-basis: 100%; height: 6px; margin-top: 2px; }
.header-score .label { flex-basis: 100%; text-align: right; font-size: 11px; text-transform: uppercase;
  color: var(--muted); letter-spacing: .06em; }
.reproduce { margin-top: 14px; }
.reproduce .label { font-size: 11px; text-transform: uppercase; color: var(--muted); letter-spacing: .06em;
  margin-bottom: 4px; }
.reproduce pre { margin: 0; background: #1f2933; color: #f5f7fa; border-radius: 6px; padding: 10px 14px;
  white-space: pre-wrap; overflow-wrap: anywhere; }
.reproduce code { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 13px;
  user-select: all; -webkit-user-select: all; }
.badge { text-transform: uppercase; font-weight: 700; letter-spacing: .06em; padding: 4px 14px;
  border-radius: 999px; font-size: 13px; color: #fff; }
.badge.pass { background: var(--pass); } .badge.fail { background: var(--fail); }
.badge.warn { background: var(--warn); } .badge.neutral { background: var(--neutral); }
.banner { background: var(--warn-bg); border-left: 4px solid var(--warn); padding: 8px 12px; margin: 0 0 14px; }
.facts { display: grid; grid-template-columns: repeat(auto-fill, minmax(260px, 1fr)); gap: 10px 28px; margin: 0; }
.facts dt { font-size: 11px; text-transform: uppercase; color: var(--muted); letter-spacing: .06em; }
.facts dd { margin: 0; word-break: break-word; }
table { width: 100%; border-collapse: collapse; }
th, td { text-align: left; padding: 6px 10px; border-bottom: 1px solid var(--line); vertical-align: top; }
th { font-size: 11px; color: var(--muted); font-weight: 600; text-transform: uppercase; letter-spacing: .05em;
  background: #fafbfc; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
table.verdicts td:nth-child(2) { min-width: 260px; overflow-wrap: anywhere; }
table.verdicts td.message { min-width: 240px; }
table.faults td:nth-child(2) { min-width: 150px; overflow-wrap: anywhere; }
td.window { min-width: 140px; overflow-wrap: anywhere; }
tr.verdict.failed td { background: var(--fail-bg); }
tr.verdict.failed td:first-child { box-shadow: inset 4px 0 0 var(--fail); }
.pill { display: inline-block; font-size: 11px; font-weight: 700; text-transform: uppercase; letter-spacing: .04em;
  padding: 2px 8px; border-radius: 999px; }
.pill.pass { background: var(--pass-bg); color: var(--pass); } .pill.fail { background: var(--fail); color: #fff; }
.pill.warn { background: var(--warn-bg); color: var(--warn); }
.pill.neutral { background: var(--neutral-bg); color: var(--neutral); }
.name { font-weight: 600; word-break: break-word; }
.meta { color: var(--muted); font-size: 12px; }
.message { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12px;
  color: #3e4c59; word-break: break-word; white-space: pre-wrap; }
.missing { color: var(--muted); font-style: italic; }
.bad { color: var(--fail); }
.error { color: var(--fail); margin-top: 4px; }
.counters { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12px; }
.note { color: var(--muted); margin: -4px 0 8px; font-size: 12.5px; }
.empty { color: var(--muted); margin: 0; }
figure { margin: 0; }
svg.chart { display: block; font-size: 11px; }
svg.chart .grid line { stroke: #edf0f3; }
svg.chart .axis line { stroke: #9aa5b1; }
svg.chart .axis text { fill: var(--muted); }
svg.chart .ytick { text-anchor: end; }
svg.chart .xtick, svg.chart .xlabel, svg.chart .ylabel { text-anchor: middle; }
svg.chart .xlabel, svg.chart .ylabel { font-weight: 600; fill: #3e4c59; }
svg.chart .series { fill: none; stroke-width: 1.8; stroke-linejoin: round; stroke-linecap: round; }
svg.chart .band rect { fill: rgba(197, 48, 48, .07); stroke: rgba(197, 48, 48, .3); stroke-dasharray: 3 3; }
svg.chart .band .marker { stroke: #c53030; stroke-width: 1.5; stroke-dasharray: 4 3; }
svg.chart .band .tick { stroke: rgba(197, 48, 48, .45); }
svg.chart .band text { fill: #9b2c2c; font-weight: 600; }
svg.chart .legend line { stroke-width: 3; }
svg.chart .legend text { fill: var(--fg); }
svg.strip .track { fill: var(--neutral-bg); }
svg.strip .up { fill: #68d391; } svg.strip .down { fill: var(--fail); }
svg.strip .track-name { fill: var(--fg); font-weight: 600; }
.meter { border-radius: 999px; background: var(--neutral-bg); overflow: hidden; }
.meter div { height: 100%; background: var(--pass); }
table.score-groups { width: auto; min-width: 480px; }
tfoot td { font-weight: 600; border-bottom: none; }
td.recovery { min-width: 160px; text-align: right; }
.definition { margin: 8px 0 0; }
.wide { overflow-x: auto; }
table.golden th { white-space: normal; }
tr.golden-window.failed td { background: var(--fail-bg); }
.diff { border-left: 3px solid var(--line); padding: 4px 0 4px 12px; margin: 8px 0 12px; }
table.side-by-side { width: auto; min-width: 420px; margin-top: 6px; }
td.value { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12px;
  overflow-wrap: anywhere; }
.events td.source { white-space: nowrap; color: var(--muted); }
tr.left-out td { text-align: center; color: var(--muted); font-style: italic; background: #fafbfc; }
#timeline h3 { margin-top: 18px; }
#timeline h3:first-of-type { margin-top: 8px; }
table.faults td.what { min-width: 200px; overflow-wrap: anywhere; }
td.touches { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12px;
  min-width: 180px; overflow-wrap: anywhere; }
tr.fault-row.failed td { background: var(--fail-bg); }
tr.fault-row.failed td:first-child { box-shadow: inset 4px 0 0 var(--fail); }
tr.poison-row.problem td:not(.group) { background: var(--fail-bg); }
td.group { border-right: 1px solid var(--line); }
table.recovery { width: auto; min-width: 640px; }
td.key { color: var(--muted); width: 1%; }
table.faults td.counters { min-width: 150px; overflow-wrap: anywhere; }
.capacity dd.big { font-size: 24px; font-weight: 700; font-variant-numeric: tabular-nums; }
footer { color: var(--muted); font-size: 12px; text-align: center; }
@media print { body { background: #fff; } header, section { break-inside: avoid; border: none; } }
)css";

}  // namespace faultdrill::reports

#endif  // FAULTDRILL_REPORTS_HTML_STYLE_H_
