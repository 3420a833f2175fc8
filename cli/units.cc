#include "units.h"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <ctime>

#include <fmt/core.h>

namespace esimgo::cli {

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
