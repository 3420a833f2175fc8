#pragma once
// Client-side token bucket: keeps every thread of a client under eSIM Go's 10 requests/s.

#include <chrono>
#include <mutex>

#include "esimgo/options.h"

namespace esimgo::internal {

class RateLimiter {
 public:
  // rate ≤ 0 disables the limiter. The bucket holds `rate` tokens (one second of burst).
  RateLimiter(double rate_per_second, Clock* clock);
  // Takes one token, sleeping on the injected clock until one is available.
  void Acquire();
  // The server said to wait (429 Retry-After): no token is handed out before `until`.
  void PauseUntil(std::chrono::steady_clock::time_point until);

 private:
  double rate_;
  double capacity_;
  Clock* clock_;
  std::mutex mu_;
  double tokens_;
  std::chrono::steady_clock::time_point last_;
  std::chrono::steady_clock::time_point paused_until_{};
};

}  // namespace esimgo::internal
