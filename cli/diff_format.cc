#include "cli/diff_format.h"

#include <algorithm>

#include "cli/console_style.h"
#include "fmt/format.h"
#include "reports/report_text.h"

namespace faultdrill::cli {
namespace {

using judge::Change;
using judge::DiffRow;
using judge::RunDiff;

// Regressions, then improvements, then the rest; stable within each.
std::vector<const DiffRow*> Ordered(const RunDiff& diff) {
  std::vector<const DiffRow*> rows;
  for (const DiffRow& row : diff.rows) rows.push_back(&row);
  auto rank = [](const DiffRow* row) {
    switch (row->change) {
      case Change::kRegression: return 0;
      case Change::kImprovement: return 1;
      default: return 2;
    }
  };
  std::stable_sort(rows.begin(), rows.end(), [&](const DiffRow* a, const DiffRow* b) { return rank(a) < rank(b); });
  return rows;
}

std::string Headline(const RunDiff& diff) {
  if (diff.regressions == 0) {
    return fmt::format("no regressions ({} improvement{})", diff.improvements, diff.improvements == 1 ? "" : "s");
  }
  return fmt::format("{} regression{} ({} improvement{})", diff.regressions, diff.regressions == 1 ? "" : "s",
                     diff.improvements, diff.improvements == 1 ? "" : "s");
}

// Text from a result, safe in a Markdown table cell.
std::string MarkdownCell(std::string_view text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '|': out += "\\|"; break;
      case '\n':
      case '\r': out += ' '; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '&': out += "&amp;"; break;
      case '`': out += "\\`"; break;
      default: out += c;
    }
  }
  return out;
}

std::string Pad(std::string_view text, size_t width, bool right = false) {
  const size_t fill = width > reports::CodePoints(text) ? width - reports::CodePoints(text) : 0;
  return right ? std::string(fill, ' ') + std::string(text) : std::string(text) + std::string(fill, ' ');
}

}  // namespace

std::string DiffValueText(const DiffRow& row, bool base) {
  const std::optional<double>& value = base ? row.base : row.now;
  if (!value) return "—";
  if (row.area == "verdict") return *value != 0 ? "passed" : "failed";
  if (row.unit == "responses") return fmt::format("{:g}", *value);
  return reports::FormatWithUnit(*value, row.unit);
}

std::string FormatDiffTable(const RunDiff& diff, bool all, bool colour) {
  std::string out = fmt::format("faultdrill diff: {}\n  base: {}\n  new:  {}\n",
                                Paint(Headline(diff), diff.regressions ? Colour::kRed : Colour::kGreen, colour),
                                diff.base_label, diff.now_label);
  for (const std::string& warning : diff.warnings) out += "  " + Paint("warning: " + warning, Colour::kYellow, colour) + "\n";
  std::vector<const DiffRow*> shown;
  size_t hidden = 0;
  for (const DiffRow* row : Ordered(diff)) {
    if (all || row->change != Change::kUnchanged) {
      shown.push_back(row);
    } else {
      ++hidden;
    }
  }
  if (shown.empty()) {
    out += fmt::format("\n  nothing changed beyond the thresholds ({} values compared)\n", hidden);
    return out;
  }
  const std::array<std::string, 6> header = {"change", "area", "what", "base", "new", "note"};
  std::vector<std::array<std::string, 6>> cells;
  for (const DiffRow* row : shown) {
    cells.push_back({std::string(ChangeName(row->change)), row->area, reports::ClipText(row->subject, 60),
                     DiffValueText(*row, true), DiffValueText(*row, false), row->note});
  }
  std::array<size_t, 6> width{};
  for (size_t c = 0; c < 6; ++c) {
    width[c] = reports::CodePoints(header[c]);
    for (const auto& line : cells) width[c] = std::max(width[c], reports::CodePoints(line[c]));
  }
  auto line = [&](const std::array<std::string, 6>& row, std::optional<Colour> paint) {
    std::string text = "  ";
    for (size_t c = 0; c < 6; ++c) {
      std::string cell = c == 5 ? row[c] : Pad(row[c], width[c], c == 3 || c == 4);
      if (c == 0 && paint) cell = Paint(cell, *paint, colour);
      text += cell + (c == 5 ? "" : "  ");
    }
    return text + "\n";
  };
  out += "\n" + line(header, Colour::kBold);
  for (size_t i = 0; i < cells.size(); ++i) {
    std::optional<Colour> paint;
    if (shown[i]->change == Change::kRegression) paint = Colour::kRed;
    if (shown[i]->change == Change::kImprovement) paint = Colour::kGreen;
    out += line(cells[i], paint);
  }
  if (hidden > 0) out += fmt::format("  ({} unchanged values not shown; --all shows them)\n", hidden);
  return out;
}

std::string FormatDiffMarkdown(const RunDiff& diff) {
  std::string out = fmt::format("### faultdrill diff: {}\n\n", Headline(diff));
  out += fmt::format("Base: `{}` · New: `{}`\n\n", MarkdownCell(diff.base_label), MarkdownCell(diff.now_label));
  for (const std::string& warning : diff.warnings) out += fmt::format("> **Warning:** {}\n\n", MarkdownCell(warning));
  auto table = [](const std::vector<const DiffRow*>& rows) {
    std::string text = "| Change | Area | What | Base | New | Note |\n|---|---|---|---:|---:|---|\n";
    for (const DiffRow* row : rows) {
      const std::string change(ChangeName(row->change));
      text += fmt::format("| {} | {} | {} | {} | {} | {} |\n",
                          row->change == Change::kRegression ? "**" + change + "**" : change, MarkdownCell(row->area),
                          MarkdownCell(row->subject), MarkdownCell(DiffValueText(*row, true)),
                          MarkdownCell(DiffValueText(*row, false)), MarkdownCell(row->note));
    }
    return text;
  };
  std::vector<const DiffRow*> changed, rest;
  for (const DiffRow* row : Ordered(diff)) {
    (row->change == Change::kRegression || row->change == Change::kImprovement ? changed : rest).push_back(row);
  }
  if (changed.empty()) {
    out += "Nothing changed beyond the thresholds.\n\n";
  } else {
    out += table(changed) + "\n";
  }
  if (!rest.empty()) {
    out += fmt::format("<details><summary>Everything else compared ({} values)</summary>\n\n{}\n</details>\n",
                       rest.size(), table(rest));
  }
  return out;
}

}  // namespace faultdrill::cli
