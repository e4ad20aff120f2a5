// A compact state-over-time chart rendered as inline SVG: one labelled row
// per track, each a bar coloured by state over time (green up, red down,
// blank where nothing was seen), the time bands (fault windows) shaded behind
// and one time axis below. What a yes/no series (a probe's "healthy") reads
// best as. Uses the same horizontal margins as RenderSvgChart, so a strip
// lines up with the line charts above and below it. No scripts, no external
// references; deterministic.
#ifndef FAULTDRILL_REPORTS_SVG_STRIP_H_
#define FAULTDRILL_REPORTS_SVG_STRIP_H_

#include <string>
#include <vector>

#include "reports/svg_chart.h"

namespace faultdrill::reports {

struct StripSegment {
  double from_s = 0;
  double to_s = 0;
  bool up = true;
};

struct StripTrack {
  std::string name;                    // above the row
  std::vector<StripSegment> segments;  // in time order, not overlapping
};

struct StripSpec {
  std::string title;  // for screen readers (aria-label)
  // The axis runs from 0 to this, exactly, as in ChartSpec (segments are cut
  // at its end); 0: up to the last segment's end.
  double x_max_s = 0;
  std::vector<StripTrack> tracks;
  std::vector<ChartBand> bands;  // shaded, not labelled (the line charts label them)
  int width = 1100;
};

// An <svg> element whose height follows the number of tracks (text escaped).
// Each down segment carries a <title> with its times.
std::string RenderSvgStrip(const StripSpec& spec);

}  // namespace faultdrill::reports

#endif  // FAULTDRILL_REPORTS_SVG_STRIP_H_
