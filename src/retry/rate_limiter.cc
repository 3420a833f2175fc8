#include "retry/rate_limiter.h"

#include <algorithm>

namespace esimgo::internal {

RateLimiter::RateLimiter(double rate_per_second, Clock* clock)
    : rate_(rate_per_second),
      capacity_(std::max(1.0, rate_per_second)),
      clock_(clock),
      tokens_(capacity_),
      last_(clock->Now()) {}

void RateLimiter::Acquire() {
  if (rate_ <= 0) return;
  std::chrono::nanoseconds wait{0};
  {
    // Reserve the token under the lock (tokens may go negative), sleep outside it: each
    // waiter sleeps exactly its own share, so N threads are spread over N/rate seconds.
    std::lock_guard<std::mutex> lock(mu_);
    auto now = clock_->Now();
    double elapsed = std::chrono::duration<double>(now - last_).count();
    tokens_ = std::min(capacity_, tokens_ + elapsed * rate_);
    last_ = now;
    tokens_ -= 1.0;
    if (tokens_ < 0) {
      wait = std::chrono::nanoseconds(static_cast<int64_t>(-tokens_ / rate_ * 1e9));
    }
    if (paused_until_ > now) {
      wait = std::max<std::chrono::nanoseconds>(wait, paused_until_ - now);
    }
  }
  if (wait.count() > 0) clock_->Sleep(wait);
}

void RateLimiter::PauseUntil(std::chrono::steady_clock::time_point until) {
  std::lock_guard<std::mutex> lock(mu_);
  paused_until_ = std::max(paused_until_, until);
}

}  // namespace esimgo::internal
