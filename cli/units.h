#pragma once
/// @file units.h
/// Human display of quantities (units, money, times) and the progress bar on stderr.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "esimgo/types.h"

namespace esimgo::cli {

/// A progress bar on stderr, drawn only when stderr is a terminal.
class Progress {
 public:
  Progress(std::string label, bool enabled);
  ~Progress();
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;
  /// `total` ≤ 0 = unknown (shows a counter).
  void Update(int done, int total, int64_t items);
  void Finish();

 private:
  std::string label_;
  bool enabled_;
  bool drawn_ = false;
};

/// Display helpers with units.
[[nodiscard]] std::string Megabytes(int64_t mb, bool unlimited = false);  ///< "5 GB", "500 MB"
[[nodiscard]] std::string Days(int64_t days);                             ///< "7 days", "1 day"
[[nodiscard]] std::string Price(Money m, std::string_view currency);      ///< "9.99 USD"
/// "3.2 GB of 5 GB left, 64 %" (bytes).
[[nodiscard]] std::string Remaining(int64_t remaining, int64_t initial, bool unlimited);
[[nodiscard]] std::string Join(const std::vector<std::string>& v, std::string_view sep = ",");
[[nodiscard]] std::string YesNo(bool b);
/// Time as "2026-11-26 21:45 UTC", or "-" when empty.
[[nodiscard]] std::string When(const Timestamp& t);

}  // namespace esimgo::cli
