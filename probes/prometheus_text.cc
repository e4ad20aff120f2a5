#include "probes/prometheus_text.h"

#include <charconv>
#include <cmath>
#include <limits>

#include "fmt/format.h"

namespace faultdrill::probes {
namespace {

bool IsBlank(char c) { return c == ' ' || c == '\t'; }
bool IsLetter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// Length of the valid UTF-8 sequence starting at text[0], or 0.
size_t Utf8SequenceLength(std::string_view text) {
  const auto byte = [&](size_t i) { return static_cast<unsigned char>(text[i]); };
  const unsigned char lead = byte(0);
  if (lead < 0x80) return 1;
  size_t length = 0;
  uint32_t min = 0;
  uint32_t code = 0;
  if ((lead & 0xE0) == 0xC0) {
    length = 2, min = 0x80, code = lead & 0x1F;
  } else if ((lead & 0xF0) == 0xE0) {
    length = 3, min = 0x800, code = lead & 0x0F;
  } else if ((lead & 0xF8) == 0xF0) {
    length = 4, min = 0x10000, code = lead & 0x07;
  } else {
    return 0;
  }
  if (text.size() < length) return 0;
  for (size_t i = 1; i < length; ++i) {
    if ((byte(i) & 0xC0) != 0x80) return 0;
    code = (code << 6) | (byte(i) & 0x3F);
  }
  if (code < min || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) return 0;
  return length;
}

// A value as Go's strconv.ParseFloat reads the ones exporters write: decimal
// and exponent forms, an optional sign, "NaN", "Inf", "+Inf", "-Inf".
std::optional<double> ParseValue(std::string_view token) {
  if (token.empty()) return std::nullopt;
  bool negative = false;
  if (token.front() == '+' || token.front() == '-') {
    negative = token.front() == '-';
    token.remove_prefix(1);
    if (token.empty() || token.front() == '+' || token.front() == '-') return std::nullopt;
  }
  double value = 0;
  auto [end, error] = std::from_chars(token.data(), token.data() + token.size(), value);
  if (end != token.data() + token.size()) return std::nullopt;
  if (error == std::errc::result_out_of_range) {
    // Go rounds to +-Inf or 0; from_chars leaves the value unset. Decide by the exponent.
    const bool tiny = token.find_first_of("eE") != std::string_view::npos &&
                      token.substr(token.find_first_of("eE") + 1).starts_with('-');
    value = tiny ? 0.0 : std::numeric_limits<double>::infinity();
  } else if (error != std::errc()) {
    return std::nullopt;
  }
  return negative ? -value : value;
}

std::optional<int64_t> ParseTimestamp(std::string_view token) {
  if (!token.empty() && token.front() == '+') token.remove_prefix(1);
  if (token.empty() || token.front() == '+') return std::nullopt;
  int64_t value = 0;
  auto [end, error] = std::from_chars(token.data(), token.data() + token.size(), value);
  if (error != std::errc() || end != token.data() + token.size()) return std::nullopt;
  return value;
}

std::optional<MetricType> ParseType(std::string_view token) {
  if (token == "counter") return MetricType::kCounter;
  if (token == "gauge") return MetricType::kGauge;
  if (token == "histogram") return MetricType::kHistogram;
  if (token == "summary") return MetricType::kSummary;
  if (token == "untyped") return MetricType::kUntyped;
  return std::nullopt;
}

// Shown in messages: printable ASCII as is, anything else as \xNN, at most 40 bytes.
std::string Quoted(std::string_view text) {
  std::string out = "\"";
  for (size_t i = 0; i < text.size() && i < 40; ++i) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
      out.push_back(static_cast<char>(c));
    } else {
      out += fmt::format("\\x{:02x}", c);
    }
  }
  if (text.size() > 40) out += "...";
  return out + "\"";
}

// Parses one line (without its "\n" or "\r"); on a problem, remembers the
// first one and stops.
class LineParser {
 public:
  LineParser(std::string_view line, const ParseLimits& limits, Exposition& out)
      : line_(line), limits_(limits), out_(out) {}

  // Adds what the line says to the exposition; false (with problem()) when
  // the line is malformed, in which case the exposition is unchanged.
  bool Parse() {
    SkipBlanks();
    if (AtEnd()) return true;
    if (Peek() == '#') return ParseComment();
    return ParseSample();
  }

  const std::string& problem() const { return problem_; }
  size_t column() const { return problem_column_; }

 private:
  bool AtEnd() const { return pos_ >= line_.size(); }
  char Peek() const { return line_[pos_]; }
  // True when it skipped at least one blank.
  bool SkipBlanks() {
    const size_t start = pos_;
    while (!AtEnd() && IsBlank(Peek())) ++pos_;
    return pos_ > start;
  }
  std::string_view Token() {
    const size_t start = pos_;
    while (!AtEnd() && !IsBlank(Peek())) ++pos_;
    return line_.substr(start, pos_ - start);
  }
  bool Fail(size_t at, std::string message) {
    problem_column_ = at + 1;
    problem_ = std::move(message);
    return false;
  }
  // What is at the cursor, for "expected X, got Y" messages.
  std::string Got() const {
    if (AtEnd()) return "the end of the line";
    return Quoted(line_.substr(pos_, 1));
  }

  // [a-zA-Z_:][a-zA-Z0-9_:]* for metrics, [a-zA-Z_][a-zA-Z0-9_]* for labels.
  bool Name(bool metric, std::string_view what, std::string_view* name) {
    const size_t start = pos_;
    const auto first = [&](char c) { return IsLetter(c) || c == '_' || (metric && c == ':'); };
    if (AtEnd() || !first(Peek())) return Fail(pos_, fmt::format("expected {}, got {}", what, Got()));
    while (!AtEnd() && (first(Peek()) || IsDigit(Peek()))) ++pos_;
    if (pos_ - start > limits_.max_name_bytes) {
      return Fail(start, fmt::format("{} longer than {} bytes", what, limits_.max_name_bytes));
    }
    *name = line_.substr(start, pos_ - start);
    return true;
  }

  // `# HELP name text`, `# TYPE name type`; any other comment is ignored.
  bool ParseComment() {
    ++pos_;
    SkipBlanks();
    const std::string_view keyword = Token();
    if (keyword != "HELP" && keyword != "TYPE") return true;
    SkipBlanks();
    std::string_view name;
    if (!Name(/*metric=*/true, fmt::format("a metric name after # {}", keyword), &name)) return false;
    if (!AtEnd() && !IsBlank(Peek())) {
      return Fail(pos_, fmt::format("expected a blank after the metric name, got {}", Got()));
    }
    SkipBlanks();
    auto existing = out_.families.find(name);
    if (existing != out_.families.end() &&
        (keyword == "TYPE" ? existing->second.type_declared : existing->second.help_declared)) {
      return Fail(0, fmt::format("a second # {} line for {}", keyword, Quoted(name)));
    }
    if (keyword == "TYPE") {
      const size_t at = pos_;
      const std::string_view type_token = Token();
      std::optional<MetricType> type = ParseType(type_token);
      if (!type) {
        return Fail(at,
                    fmt::format("expected counter, gauge, histogram, summary or untyped, got {}", Quoted(type_token)));
      }
      SkipBlanks();
      if (!AtEnd()) return Fail(pos_, fmt::format("expected the end of the line after the type, got {}", Got()));
      FamilyInfo& family = out_.families[std::string(name)];
      family.type = *type;
      family.type_declared = true;
      return true;
    }
    std::string help;
    const size_t start = pos_;
    for (; !AtEnd(); ++pos_) {
      if (Peek() != '\\') {
        help.push_back(Peek());
        continue;
      }
      if (pos_ + 1 >= line_.size()) return Fail(pos_, "expected an escape after '\\' in HELP, got the end of the line");
      const char next = line_[++pos_];
      if (next == '\\') {
        help.push_back('\\');
      } else if (next == 'n') {
        help.push_back('\n');
      } else {
        return Fail(pos_ - 1, fmt::format("expected \\\\ or \\n in HELP, got a backslash before {}",
                                          Quoted(std::string_view(&next, 1))));
      }
    }
    if (pos_ - start > limits_.max_help_bytes) {
      return Fail(start, fmt::format("HELP text longer than {} bytes", limits_.max_help_bytes));
    }
    FamilyInfo& family = out_.families[std::string(name)];
    family.help = std::move(help);
    family.help_declared = true;
    return true;
  }

  // name [{label="value",...}] value [timestamp]
  bool ParseSample() {
    Sample sample;
    std::string_view name;
    if (!Name(/*metric=*/true, "a metric name", &name)) return false;
    sample.name = std::string(name);
    const bool blank_after_name = SkipBlanks();
    if (!AtEnd() && Peek() == '{') {
      ++pos_;
      if (!ParseLabels(sample)) return false;
      SkipBlanks();
    } else if (!blank_after_name && !AtEnd()) {
      return Fail(pos_, fmt::format("expected '{{' or a blank after the metric name, got {}", Got()));
    }
    if (AtEnd()) return Fail(pos_, "expected a value, got the end of the line");
    size_t at = pos_;
    const std::string_view value_token = Token();
    std::optional<double> value = ParseValue(value_token);
    if (!value) return Fail(at, fmt::format("expected a number, NaN, +Inf or -Inf, got {}", Quoted(value_token)));
    sample.value = *value;
    SkipBlanks();
    if (!AtEnd()) {
      at = pos_;
      const std::string_view timestamp_token = Token();
      sample.timestamp_ms = ParseTimestamp(timestamp_token);
      if (!sample.timestamp_ms) {
        return Fail(at, fmt::format("expected a timestamp in integer milliseconds, got {}", Quoted(timestamp_token)));
      }
      SkipBlanks();
      if (!AtEnd()) return Fail(pos_, fmt::format("expected the end of the line after the timestamp, got {}", Got()));
    }
    out_.samples.push_back(std::move(sample));
    return true;
  }

  // After '{': label="value" pairs separated by ',' (a trailing ',' allowed), then '}'.
  bool ParseLabels(Sample& sample) {
    while (true) {
      SkipBlanks();
      if (AtEnd()) return Fail(pos_, "expected a label name or '}', got the end of the line");
      if (Peek() == '}') {
        ++pos_;
        return true;
      }
      const size_t name_at = pos_;
      std::string_view name;
      if (!Name(/*metric=*/false, "a label name or '}'", &name)) return false;
      for (const auto& [existing, value] : sample.labels) {
        if (existing == name) return Fail(name_at, fmt::format("duplicate label {}", Quoted(name)));
      }
      if (sample.labels.size() >= limits_.max_labels_per_sample) {
        return Fail(name_at, fmt::format("more than {} labels", limits_.max_labels_per_sample));
      }
      SkipBlanks();
      if (AtEnd() || Peek() != '=') {
        return Fail(pos_, fmt::format("expected '=' after label name {}, got {}", Quoted(name), Got()));
      }
      ++pos_;
      SkipBlanks();
      if (AtEnd() || Peek() != '"') {
        return Fail(pos_, fmt::format("expected '\"' to open the value of label {}, got {}", Quoted(name), Got()));
      }
      std::string value;
      if (!LabelValue(name, &value)) return false;
      sample.labels.emplace_back(std::string(name), std::move(value));
      SkipBlanks();
      if (AtEnd()) return Fail(pos_, "expected ',' or '}' after a label value, got the end of the line");
      if (Peek() == ',') {
        ++pos_;
      } else if (Peek() != '}') {
        return Fail(pos_, fmt::format("expected ',' or '}}' after a label value, got {}", Got()));
      }
    }
  }

  // At the opening '"'; stops after the closing one.
  bool LabelValue(std::string_view label, std::string* value) {
    const size_t open = pos_++;
    while (true) {
      if (AtEnd()) return Fail(open, fmt::format("unterminated value of label {} (no closing '\"')", Quoted(label)));
      const char c = Peek();
      if (c == '"') {
        ++pos_;
        return true;
      }
      if (c == '\\') {
        const char next = pos_ + 1 < line_.size() ? line_[pos_ + 1] : '\0';
        if (next == '\\' || next == '"') {
          value->push_back(next);
        } else if (next == 'n') {
          value->push_back('\n');
        } else if (pos_ + 1 >= line_.size()) {
          return Fail(pos_, fmt::format("unterminated value of label {} (ends in '\\')", Quoted(label)));
        } else {
          return Fail(pos_,
                      fmt::format("expected \\\\, \\\" or \\n in the value of label {}, got a backslash before {}",
                                  Quoted(label), Quoted(line_.substr(pos_ + 1, 1))));
        }
        pos_ += 2;
      } else {
        const size_t length = Utf8SequenceLength(line_.substr(pos_));
        if (length == 0) return Fail(pos_, fmt::format("the value of label {} is not valid UTF-8", Quoted(label)));
        value->append(line_.substr(pos_, length));
        pos_ += length;
      }
      if (value->size() > limits_.max_label_value_bytes) {
        return Fail(
            open, fmt::format("value of label {} longer than {} bytes", Quoted(label), limits_.max_label_value_bytes));
      }
    }
  }

  const std::string_view line_;
  const ParseLimits& limits_;
  Exposition& out_;
  size_t pos_ = 0;
  std::string problem_;
  size_t problem_column_ = 0;
};

}  // namespace

std::string_view MetricTypeName(MetricType type) {
  switch (type) {
    case MetricType::kCounter:
      return "counter";
    case MetricType::kGauge:
      return "gauge";
    case MetricType::kHistogram:
      return "histogram";
    case MetricType::kSummary:
      return "summary";
    case MetricType::kUntyped:
      return "untyped";
  }
  return "untyped";
}

std::optional<double> ParsePrometheusValue(std::string_view text) { return ParseValue(text); }

const std::string* Sample::Label(std::string_view name) const {
  for (const auto& [label, value] : labels) {
    if (label == name) return &value;
  }
  return nullptr;
}

std::string LineProblem::ToString() const { return fmt::format("{}:{}: {}", line, column, message); }

absl::StatusOr<Exposition> ParsePrometheusText(std::string_view text, BadLines bad_lines, const ParseLimits& limits) {
  if (text.size() > limits.max_bytes) {
    return absl::ResourceExhaustedError(
        fmt::format("the exposition is {} bytes, more than the limit of {}", text.size(), limits.max_bytes));
  }
  Exposition out;
  size_t line_number = 0;
  while (!text.empty()) {
    ++line_number;
    const size_t end = text.find('\n');
    std::string_view line = text.substr(0, end);
    text.remove_prefix(end == std::string_view::npos ? text.size() : end + 1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);

    LineParser parser(line, limits, out);
    const size_t samples_before = out.samples.size();
    if (!parser.Parse()) {
      out.samples.resize(samples_before);
      LineProblem problem{line_number, parser.column(), parser.problem()};
      if (bad_lines == BadLines::kFail) return absl::InvalidArgumentError(problem.ToString());
      ++out.skipped_lines;
      if (out.problems.size() < limits.max_problems_kept) out.problems.push_back(std::move(problem));
      continue;
    }
    if (out.samples.size() > limits.max_samples || out.families.size() > limits.max_samples) {
      return absl::ResourceExhaustedError(
          fmt::format("more than {} samples or metric families (line {})", limits.max_samples, line_number));
    }
  }
  out.lines = line_number;
  return out;
}

}  // namespace faultdrill::probes
