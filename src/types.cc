#include "esimgo/types.h"

#include <charconv>
#include <cstdio>

namespace esimgo {
namespace {

bool AllDigits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

int Digits(std::string_view s, size_t pos, size_t n) {
  int v = 0;
  for (size_t i = pos; i < pos + n; ++i) v = v * 10 + (s[i] - '0');
  return v;
}

bool DigitsAt(std::string_view s, size_t pos, size_t n) {
  return pos + n <= s.size() && AllDigits(s.substr(pos, n));
}

// The shape of nearly every price the API sends, "-?d{1,12}(.d{1,6})?", read in one pass
// without allocating. Anything else (exponents, spaces, more digits) takes the general path.
std::optional<int64_t> FastMicros(std::string_view t) {
  size_t i = 0;
  const bool negative = !t.empty() && t[0] == '-';
  if (negative) i = 1;
  const size_t int_start = i;
  int64_t units = 0;
  while (i < t.size() && t[i] >= '0' && t[i] <= '9') {
    // Longer than the fast shape: leave it to the general path before `units` can overflow.
    if (i - int_start == 12) return std::nullopt;
    units = units * 10 + (t[i++] - '0');
  }
  const size_t int_len = i - int_start;
  if (int_len == 0) return std::nullopt;
  int64_t frac = 0;
  if (i < t.size() && t[i] == '.') {
    const size_t frac_start = ++i;
    while (i < t.size() && i - frac_start < 6 && t[i] >= '0' && t[i] <= '9') {
      frac = frac * 10 + (t[i++] - '0');
    }
    const size_t frac_len = i - frac_start;
    if (frac_len == 0) return std::nullopt;
    for (size_t k = frac_len; k < 6; ++k) frac *= 10;
  }
  if (i != t.size()) return std::nullopt;
  const int64_t micros = units * Money::kScale + frac;
  return negative ? -micros : micros;
}

}  // namespace

std::optional<Money> Money::Parse(std::string_view text) {
  if (auto fast = FastMicros(text)) return Money(*fast);
  // Exact: mantissa digits and an optional exponent, scaled to millionths without floats.
  while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
  while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
  if (text.empty()) return std::nullopt;
  bool negative = false;
  if (text.front() == '-' || text.front() == '+') {
    negative = text.front() == '-';
    text.remove_prefix(1);
  }
  std::string_view mantissa = text;
  int exponent = 0;
  if (auto e = text.find_first_of("eE"); e != std::string_view::npos) {
    mantissa = text.substr(0, e);
    std::string_view exp_text = text.substr(e + 1);
    if (!exp_text.empty() && exp_text.front() == '+') exp_text.remove_prefix(1);
    auto [p, ec] = std::from_chars(exp_text.data(), exp_text.data() + exp_text.size(), exponent);
    if (ec != std::errc() || p != exp_text.data() + exp_text.size() || exponent > 18 ||
        exponent < -18) {
      return std::nullopt;
    }
  }
  std::string_view int_part = mantissa;
  std::string_view frac_part;
  if (auto dot = mantissa.find('.'); dot != std::string_view::npos) {
    int_part = mantissa.substr(0, dot);
    frac_part = mantissa.substr(dot + 1);
  }
  if (int_part.empty() && frac_part.empty()) return std::nullopt;
  if ((!int_part.empty() && !AllDigits(int_part)) ||
      (!frac_part.empty() && !AllDigits(frac_part))) {
    return std::nullopt;
  }
  // All digits as one integer with a decimal exponent: value = digits * 10^(exp - frac_len).
  std::string digits(int_part);
  digits += frac_part;
  int scale = exponent - static_cast<int>(frac_part.size()) + 6;  // to millionths
  while (scale < 0) {
    if (digits.empty()) {  // only zeros: the amount is 0 whatever the exponent
      scale = 0;
      break;
    }
    if (digits.back() != '0') return std::nullopt;  // finer than a millionth
    digits.pop_back();
    ++scale;
  }
  size_t first = digits.find_first_not_of('0');
  digits = first == std::string::npos ? "0" : digits.substr(first);
  if (digits.size() + static_cast<size_t>(scale) > 18) return std::nullopt;
  digits.append(static_cast<size_t>(scale), '0');
  int64_t micros = 0;
  auto [p, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), micros);
  if (ec != std::errc()) return std::nullopt;
  return Money(negative ? -micros : micros);
}

std::string Money::ToString() const {
  // Unsigned magnitude: -INT64_MIN does not fit an int64_t.
  uint64_t v = static_cast<uint64_t>(micros_);
  std::string out;
  if (micros_ < 0) {
    out += '-';
    v = 0 - v;
  }
  constexpr auto kUnit = static_cast<uint64_t>(kScale);
  out += std::to_string(v / kUnit);
  const uint64_t frac = v % kUnit;
  if (frac != 0) {
    char buf[24];
    std::snprintf(buf, sizeof buf, "%06llu", static_cast<unsigned long long>(frac));
    std::string f(buf);
    while (!f.empty() && f.back() == '0') f.pop_back();
    out += '.';
    out += f;
  }
  return out;
}

Timestamp Timestamp::Parse(std::string_view text) {
  using namespace std::chrono;
  Timestamp ts;
  ts.raw.assign(text);
  if (text.empty()) return ts;
  // Epoch milliseconds (firstInstalledDateTime on GET /esims/{iccid}).
  if (AllDigits(text) && text.size() >= 9 && text.size() <= 16) {
    int64_t ms = 0;
    std::from_chars(text.data(), text.data() + text.size(), ms);
    ts.time = TimePoint(milliseconds(ms));
    return ts;
  }
  // YYYY-MM-DD
  if (!(DigitsAt(text, 0, 4) && text.size() >= 10 && text[4] == '-' && DigitsAt(text, 5, 2) &&
        text[7] == '-' && DigitsAt(text, 8, 2))) {
    return ts;
  }
  const year_month_day ymd{year{Digits(text, 0, 4)},
                           month{static_cast<unsigned>(Digits(text, 5, 2))},
                           day{static_cast<unsigned>(Digits(text, 8, 2))}};
  if (!ymd.ok()) return ts;
  sys_days date{ymd};
  if (text.size() == 10) {
    ts.time = TimePoint(date);
    return ts;
  }
  if ((text[10] != 'T' && text[10] != 't' && text[10] != ' ') || !DigitsAt(text, 11, 2) ||
      text.size() < 16 || text[13] != ':' || !DigitsAt(text, 14, 2)) {
    return ts;
  }
  int hh = Digits(text, 11, 2), mm = Digits(text, 14, 2), ss = 0;
  size_t pos = 16;
  if (pos < text.size() && text[pos] == ':') {
    if (!DigitsAt(text, pos + 1, 2)) return ts;
    ss = Digits(text, pos + 1, 2);
    pos += 3;
  }
  int64_t nanos = 0;
  if (pos < text.size() && (text[pos] == '.' || text[pos] == ',')) {
    ++pos;
    size_t n = 0;
    while (pos + n < text.size() && text[pos + n] >= '0' && text[pos + n] <= '9') ++n;
    if (n == 0) return ts;
    for (size_t i = 0; i < 9; ++i) nanos = nanos * 10 + (i < n ? text[pos + i] - '0' : 0);
    pos += n;
  }
  if (hh > 23 || mm > 59 || ss > 60) return ts;
  int64_t offset_minutes = 0;
  if (pos < text.size()) {
    char c = text[pos];
    if (c == 'Z' || c == 'z') {
      ++pos;
    } else if (c == '+' || c == '-') {
      if (!DigitsAt(text, pos + 1, 2)) return ts;
      int oh = Digits(text, pos + 1, 2), om = 0;
      size_t next = pos + 3;
      if (next < text.size() && text[next] == ':') ++next;
      if (DigitsAt(text, next, 2)) {
        om = Digits(text, next, 2);
        next += 2;
      }
      offset_minutes = (c == '+' ? 1 : -1) * (oh * 60 + om);
      pos = next;
    }
  }
  if (pos != text.size()) return ts;
  ts.time = TimePoint(date) + hours(hh) + minutes(mm) + seconds(ss) + nanoseconds(nanos) -
            minutes(offset_minutes);
  return ts;
}

Timestamp Timestamp::FromTime(TimePoint t) {
  Timestamp ts;
  ts.time = t;
  ts.raw = ts.ToIso();
  return ts;
}

std::string Timestamp::ToIso() const {
  using namespace std::chrono;
  if (!time) return raw;
  auto day_point = floor<days>(*time);
  year_month_day ymd{day_point};
  hh_mm_ss hms{floor<milliseconds>(*time - day_point)};
  char buf[40];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02d.%03dZ",
                static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                static_cast<unsigned>(ymd.day()), static_cast<int>(hms.hours().count()),
                static_cast<int>(hms.minutes().count()), static_cast<int>(hms.seconds().count()),
                static_cast<int>(hms.subseconds().count()));
  return buf;
}

bool EqualsIgnoreCase(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

std::string FormatBytes(int64_t bytes) {
  static constexpr const char* kUnits[] = {"B", "KB", "MB", "GB", "TB"};
  double v = static_cast<double>(bytes);
  int unit = 0;
  while ((v >= 1000 || v <= -1000) && unit < 4) {
    v /= 1000;
    ++unit;
  }
  char buf[32];
  if (unit == 0 || v == static_cast<double>(static_cast<int64_t>(v))) {
    std::snprintf(buf, sizeof buf, "%.0f %s", v, kUnits[unit]);
  } else {
    std::snprintf(buf, sizeof buf, "%.1f %s", v, kUnits[unit]);
  }
  return buf;
}

}  // namespace esimgo
