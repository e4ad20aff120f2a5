#include "reports/svg_strip.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace faultdrill::reports {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

size_t Count(const std::string& text, const std::string& needle) {
  size_t n = 0;
  for (size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + needle.size())) ++n;
  return n;
}

StripSpec TwoTracks() {
  StripSpec spec;
  spec.title = "health";
  spec.x_max_s = 60;
  spec.tracks = {{"health", {{0, 10, true}, {10, 12, false}, {12, 60, true}}}, {"server", {{0, 60, true}}}};
  spec.bands = {{10, 12.3, "kill-server"}, {35, 35, "instant"}};
  return spec;
}

TEST(RenderSvgStrip, OneRowPerTrackWithItsSegments) {
  const std::string svg = RenderSvgStrip(TwoTracks());

  EXPECT_EQ(Count(svg, "<rect class=\"track\""), 2u);
  EXPECT_EQ(Count(svg, "<rect class=\"up\""), 3u);
  EXPECT_EQ(Count(svg, "<rect class=\"down\""), 1u);
  EXPECT_THAT(svg, HasSubstr(">health</text>"));
  EXPECT_THAT(svg, HasSubstr(">server</text>"));
  EXPECT_THAT(svg, HasSubstr("<title>down 10.0s → 12.0s</title>"));
}

TEST(RenderSvgStrip, HeightFollowsTheTracks) {
  StripSpec one = TwoTracks();
  one.tracks.pop_back();
  EXPECT_THAT(RenderSvgStrip(one), HasSubstr("viewBox=\"0 0 1100 65\""));
  EXPECT_THAT(RenderSvgStrip(TwoTracks()), HasSubstr("viewBox=\"0 0 1100 98\""));
}

TEST(RenderSvgStrip, ShadesBandsWithoutLabels) {
  const std::string svg = RenderSvgStrip(TwoTracks());

  EXPECT_EQ(Count(svg, "<g class=\"band\">"), 2u);
  EXPECT_EQ(Count(svg, "class=\"marker\""), 1u);
  EXPECT_THAT(svg, HasSubstr("<title>kill-server</title>"));
  EXPECT_THAT(svg, Not(HasSubstr(">kill-server</text>")));
}

TEST(RenderSvgStrip, ShortDownStretchesStayVisible) {
  StripSpec spec = TwoTracks();
  spec.x_max_s = 1e6;
  const std::string svg = RenderSvgStrip(spec);
  EXPECT_THAT(svg, HasSubstr("<rect class=\"down\" x=\"64.0\" y=\"19.0\" width=\"1.5\""));
}

TEST(RenderSvgStrip, LinesUpWithTheCharts) {
  const std::string svg = RenderSvgStrip(TwoTracks());
  // The plot runs from the left margin to width - right margin, as in RenderSvgChart.
  EXPECT_THAT(svg, HasSubstr("<rect class=\"track\" x=\"64.0\" y=\"19.0\" width=\"1020.0\""));
  EXPECT_THAT(svg, HasSubstr(">60s</text>"));
}

TEST(RenderSvgStrip, EscapesNames) {
  StripSpec spec = TwoTracks();
  spec.tracks[0].name = "<script>&";
  spec.title = "\"><script>";
  const std::string svg = RenderSvgStrip(spec);
  EXPECT_THAT(svg, Not(HasSubstr("<script>")));
  EXPECT_THAT(svg, HasSubstr("&lt;script&gt;&amp;"));
}

TEST(RenderSvgStrip, NoTracksStillAnAxis) {
  StripSpec spec;
  const std::string svg = RenderSvgStrip(spec);
  EXPECT_THAT(svg, HasSubstr("<g class=\"axis\">"));
  EXPECT_THAT(svg, HasSubstr("</svg>"));
}

}  // namespace
}  // namespace faultdrill::reports
