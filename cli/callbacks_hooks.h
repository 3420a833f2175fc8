#pragma once
/// @file callbacks_hooks.h
/// Runs `--exec` hooks from the store's durable queue: claim with a lease, run the command
/// outside any transaction (ESIMGO_EVENT_ID in the environment, the stored body on stdin),
/// renew the lease while it runs, then mark it done or failed (retried with backoff, dead
/// after N). A runner that dies leaves its lease to expire and another runner (or its
/// restart) runs the hook again: at least once.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "esimgo/callbacks/callbacks.h"

namespace esimgo::cli {

class ReceiverMetrics;

/// The hook workers of one process. Thread-safe.
class HookRunner {
 public:
  struct Options {
    std::string command;
    std::string worker;  ///< Name recorded as claimed_by (host:pid).
    std::chrono::milliseconds lease{60'000};
    std::chrono::milliseconds poll{1000};  ///< Look for due hooks at least this often.
    callbacks::HookRetryPolicy policy;
    int workers = 1;
  };
  /// `log` prints a diagnostic line (thread-safe); `metrics` may be null.
  HookRunner(std::unique_ptr<callbacks::Store> store, Options options, ReceiverMetrics* metrics,
             std::function<void(const std::string&)> log);
  ~HookRunner();

  void Start();
  /// New hooks were probably queued: look now instead of at the next poll.
  void Wake();
  /// Stops claiming, waits for the hooks running now to finish, and joins the workers.
  void Stop();
  /// Pending hooks (refreshed by the caller's background thread; -1 = not known).
  [[nodiscard]] int64_t Pending();

 private:
  void Work();
  void RunOne(const callbacks::HookJob& job);

  std::unique_ptr<callbacks::Store> store_;
  Options options_;
  ReceiverMetrics* metrics_;
  std::function<void(const std::string&)> log_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  uint64_t wakeups_ = 0;
  std::vector<std::thread> threads_;
};

}  // namespace esimgo::cli
