#include "output.h"

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <iostream>

#include <fmt/core.h>

namespace esimgo::cli {

Json::Json(double v) : kind_(Kind::kNumber) {
  if (!std::isfinite(v)) {
    kind_ = Kind::kNull;
    return;
  }
  text_ = fmt::format("{}", v);
}

Json::Json(const Timestamp& t) {
  if (t.empty()) return;
  kind_ = Kind::kString;
  text_ = t.ToIso();
}

Json::Json(const std::vector<std::string>& v) : kind_(Kind::kArray) {
  for (const auto& s : v) elements_.emplace_back(s);
}

Json& Json::Set(std::string key, Json value) {
  kind_ = Kind::kObject;
  for (auto& [k, v] : members_) {
    if (k == key) {
      v = std::move(value);
      return *this;
    }
  }
  members_.emplace_back(std::move(key), std::move(value));
  return *this;
}

Json& Json::Push(Json value) {
  kind_ = Kind::kArray;
  elements_.push_back(std::move(value));
  return *this;
}

std::string JsonEscape(std::string_view s) {
  std::string out;
  out.reserve(s.size() + 2);
  for (unsigned char c : s) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (c < 0x20) {
          out += fmt::format("\\u{:04x}", c);
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  return out;
}

void Json::DumpTo(std::string& out, int indent, int depth) const {
  auto newline = [&](int d) {
    if (indent < 0) return;
    out += '\n';
    out.append(static_cast<std::size_t>(indent * d), ' ');
  };
  switch (kind_) {
    case Kind::kNull:
      out += "null";
      break;
    case Kind::kBool:
    case Kind::kNumber:
      out += text_;
      break;
    case Kind::kString:
      out += '"';
      out += JsonEscape(text_);
      out += '"';
      break;
    case Kind::kArray:
      if (elements_.empty()) {
        out += "[]";
        break;
      }
      out += '[';
      for (std::size_t i = 0; i < elements_.size(); ++i) {
        if (i) out += ',';
        newline(depth + 1);
        elements_[i].DumpTo(out, indent, depth + 1);
      }
      newline(depth);
      out += ']';
      break;
    case Kind::kObject:
      if (members_.empty()) {
        out += "{}";
        break;
      }
      out += '{';
      for (std::size_t i = 0; i < members_.size(); ++i) {
        if (i) out += ',';
        newline(depth + 1);
        out += '"';
        out += JsonEscape(members_[i].first);
        out += indent < 0 ? "\":" : "\": ";
        members_[i].second.DumpTo(out, indent, depth + 1);
      }
      newline(depth);
      out += '}';
      break;
  }
}

std::string Json::Dump(int indent) const {
  std::string out;
  DumpTo(out, indent, 0);
  return out;
}

std::string Json::Cell() const {
  switch (kind_) {
    case Kind::kNull:
      return "";
    case Kind::kString:
    case Kind::kBool:
    case Kind::kNumber:
      return text_;
    case Kind::kArray: {
      bool all_scalar = std::all_of(elements_.begin(), elements_.end(), [](const Json& e) {
        return e.kind_ != Kind::kArray && e.kind_ != Kind::kObject;
      });
      if (all_scalar) {
        std::string s;
        for (std::size_t i = 0; i < elements_.size(); ++i) {
          if (i) s += ';';
          s += elements_[i].text_;
        }
        return s;
      }
      return Dump(-1);
    }
    case Kind::kObject:
      return Dump(-1);
  }
  return "";
}

namespace {

// Display width of UTF-8 text (code points; good enough for the symbols we print).
std::size_t Width(std::string_view s) {
  std::size_t n = 0;
  bool in_escape = false;
  for (unsigned char c : s) {
    if (in_escape) {
      if (c == 'm') in_escape = false;
      continue;
    }
    if (c == 0x1b) {
      in_escape = true;
      continue;
    }
    if ((c & 0xC0) != 0x80) ++n;
  }
  return n;
}

std::string CsvField(const std::string& s) {
  if (s.find_first_of(",\"\r\n") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
  return out;
}

}  // namespace

std::string Printer::RenderTable(const Table& table) const {
  std::vector<std::size_t> widths(table.headers.size(), 0);
  for (std::size_t i = 0; i < table.headers.size(); ++i) widths[i] = Width(table.headers[i]);
  for (const auto& row : table.rows) {
    for (std::size_t i = 0; i < row.size() && i < widths.size(); ++i) {
      widths[i] = std::max(widths[i], Width(row[i]));
    }
  }
  auto line = [&](const std::vector<std::string>& cells, bool header) {
    std::string out;
    for (std::size_t i = 0; i < widths.size(); ++i) {
      std::string cell = i < cells.size() ? cells[i] : "";
      std::size_t pad = widths[i] - std::min(widths[i], Width(cell));
      bool right = i < table.right_align.size() && table.right_align[i];
      bool last = i + 1 == widths.size();
      if (header) cell = Bold(cell);
      if (right) out.append(pad, ' ');
      out += cell;
      if (!right && !last) out.append(pad, ' ');
      if (!last) out += "  ";
    }
    while (!out.empty() && out.back() == ' ') out.pop_back();
    return out + "\n";
  };
  std::string out = line(table.headers, true);
  for (const auto& row : table.rows) out += line(row, false);
  return out;
}

std::string Printer::RenderCsv(const Json& data) {
  std::vector<const Json*> rows;
  if (data.kind() == Json::Kind::kArray) {
    for (const auto& e : data.elements()) rows.push_back(&e);
  } else {
    rows.push_back(&data);
  }
  std::vector<std::string> columns;
  for (const Json* r : rows) {
    for (const auto& [k, v] : r->members()) {
      if (std::find(columns.begin(), columns.end(), k) == columns.end()) columns.push_back(k);
    }
  }
  std::string out;
  for (std::size_t i = 0; i < columns.size(); ++i) {
    if (i) out += ',';
    out += CsvField(columns[i]);
  }
  out += '\n';
  for (const Json* r : rows) {
    for (std::size_t i = 0; i < columns.size(); ++i) {
      if (i) out += ',';
      for (const auto& [k, v] : r->members()) {
        if (k == columns[i]) {
          out += CsvField(v.Cell());
          break;
        }
      }
    }
    out += '\n';
  }
  return out;
}

void Printer::Emit(const Json& data, const Table& table) const {
  std::string out;
  switch (format_) {
    case Format::kJson:
      out = data.Dump(2) + "\n";
      break;
    case Format::kCsv:
      out = RenderCsv(data);
      break;
    case Format::kTable:
      out = table.rows.empty() ? std::string("(none)\n") : RenderTable(table);
      break;
  }
  std::fwrite(out.data(), 1, out.size(), stdout);
  std::fflush(stdout);
}

void Printer::EmitRecord(const Json& data,
                         const std::vector<std::pair<std::string, std::string>>& kv) const {
  if (format_ != Format::kTable) {
    Emit(data, {});
    return;
  }
  std::size_t w = 0;
  for (const auto& [k, v] : kv) w = std::max(w, Width(k));
  std::string out;
  for (const auto& [k, v] : kv) {
    out += Bold(k);
    out.append(w - Width(k) + 2, ' ');
    out += v.empty() ? "-" : v;
    out += '\n';
  }
  std::fwrite(out.data(), 1, out.size(), stdout);
  std::fflush(stdout);
}

std::string Printer::Bold(std::string_view s) const {
  return color_ ? fmt::format("\033[1m{}\033[0m", s) : std::string(s);
}
std::string Printer::Green(std::string_view s) const {
  return color_ ? fmt::format("\033[32m{}\033[0m", s) : std::string(s);
}
std::string Printer::Yellow(std::string_view s) const {
  return color_ ? fmt::format("\033[33m{}\033[0m", s) : std::string(s);
}
std::string Printer::Red(std::string_view s) const {
  return color_ ? fmt::format("\033[31m{}\033[0m", s) : std::string(s);
}

Progress::Progress(std::string label, bool enabled)
    : label_(std::move(label)), enabled_(enabled && isatty(STDERR_FILENO) == 1) {}

Progress::~Progress() { Finish(); }

void Progress::Update(int done, int total, int64_t items) {
  if (!enabled_) return;
  std::string line;
  if (total > 0) {
    constexpr int kWidth = 30;
    int filled = std::min(kWidth, done * kWidth / total);
    line = fmt::format("\r{} [{}{}] page {}/{} · {} items", label_, std::string(filled, '#'),
                       std::string(kWidth - filled, '.'), done, total, items);
  } else {
    line = fmt::format("\r{} page {} · {} items", label_, done, items);
  }
  std::fputs(line.c_str(), stderr);
  std::fflush(stderr);
  drawn_ = true;
}

void Progress::Finish() {
  if (drawn_) {
    std::fputs("\r\033[K", stderr);
    std::fflush(stderr);
    drawn_ = false;
  }
}

std::string Megabytes(int64_t mb, bool unlimited) {
  if (unlimited) return "unlimited";
  if (mb >= 1000) {
    if (mb % 1000 == 0) return fmt::format("{} GB", mb / 1000);
    return fmt::format("{:.1f} GB", static_cast<double>(mb) / 1000.0);
  }
  return fmt::format("{} MB", mb);
}

std::string Days(int64_t days) { return fmt::format("{} day{}", days, days == 1 ? "" : "s"); }

std::string Price(Money m, std::string_view currency) {
  // Two decimals at least, like a price list; more only when the value has them.
  std::string s = m.ToString();
  auto dot = s.find('.');
  if (dot == std::string::npos) {
    s += ".00";
  } else if (s.size() - dot == 2) {
    s += '0';
  }
  return currency.empty() ? s : fmt::format("{} {}", s, currency);
}

std::string Remaining(int64_t remaining, int64_t initial, bool unlimited) {
  if (unlimited) return "unlimited";
  int percent = initial > 0 ? static_cast<int>(std::lround(100.0 * static_cast<double>(remaining) /
                                                           static_cast<double>(initial)))
                            : 0;
  return fmt::format("{} of {} left, {} %", FormatBytes(remaining), FormatBytes(initial), percent);
}

std::string Join(const std::vector<std::string>& v, std::string_view sep) {
  std::string out;
  for (std::size_t i = 0; i < v.size(); ++i) {
    if (i) out += sep;
    out += v[i];
  }
  return out;
}

std::string YesNo(bool b) { return b ? "yes" : "no"; }

std::string When(const Timestamp& t) {
  if (t.empty()) return "-";
  if (!t.time) return t.raw;
  auto secs = std::chrono::floor<std::chrono::seconds>(*t.time);
  std::time_t tt = std::chrono::system_clock::to_time_t(
      std::chrono::time_point_cast<std::chrono::system_clock::duration>(secs));
  std::tm tm{};
  gmtime_r(&tt, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M UTC", &tm);
  return buf;
}

}  // namespace esimgo::cli
