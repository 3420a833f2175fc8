#pragma once
/// @file callbacks_metrics.h
/// The receiver's Prometheus metrics (`GET /metrics`, text format 0.0.4), written by hand: a
/// fixed set of families whose label values are known up front, so cardinality is bounded and
/// recording is a relaxed atomic add. Nothing here touches the store: gauges that need the
/// database (hook backlog) are set by a background refresher, never computed on a scrape.

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "esimgo/callbacks/types.h"

namespace esimgo::cli {

/// A counter family with a fixed list of label values (one atomic per value).
class CounterFamily {
 public:
  CounterFamily(std::string name, std::string help, std::string label,
                std::vector<std::string> values);
  /// Adds `n` to the series labelled `values[index]`; out-of-range indexes are ignored.
  void Add(std::size_t index, uint64_t n = 1);
  [[nodiscard]] uint64_t Get(std::size_t index) const;
  void Render(std::string& out) const;

 private:
  std::string name_, help_, label_;
  std::vector<std::string> values_;
  std::unique_ptr<std::atomic<uint64_t>[]> counts_;
};

/// A histogram with fixed upper bounds; the sum is kept in nanounits (integer, lock-free).
class Histogram {
 public:
  Histogram(std::string name, std::string help, std::vector<double> bounds);
  void Observe(double value);
  [[nodiscard]] uint64_t Count() const { return count_.load(std::memory_order_relaxed); }
  void Render(std::string& out) const;

 private:
  std::string name_, help_;
  std::vector<double> bounds_;
  std::unique_ptr<std::atomic<uint64_t>[]> buckets_;  // non-cumulative; cumulated on render
  std::atomic<uint64_t> count_{0};
  std::atomic<int64_t> sum_nano_{0};
};

/// Results a callback request can end with (`esimgo_callbacks_received_total{result}`).
enum class Received : std::size_t {
  kStored,
  kDuplicate,
  kUnsigned,
  kBadSignature,
  kTooLarge,
  kMalformed,
  kUnavailable,
};

/// Every metric the receiver exports. Thread-safe.
class ReceiverMetrics {
 public:
  ReceiverMetrics();

  void CountReceived(Received r) { received_.Add(static_cast<std::size_t>(r)); }
  /// Counts a stored alert by type: the known wire names, everything else as "other".
  void CountAlert(std::string_view alert_type);
  /// The signature verdict of one request (`esimgo_callback_signature_total{key}`).
  enum class Signature : std::size_t { kCurrent, kPrevious, kInvalid, kMissing };
  void CountSignature(Signature s) { signature_.Add(static_cast<std::size_t>(s)); }
  void CountHookRun(std::string_view result);  ///< "ok", "failed", "dead", "error"
  void ObserveAck(double seconds) { ack_.Observe(seconds); }
  void ObserveHook(double seconds) { hook_duration_.Observe(seconds); }

  /// Store-side values, copied from the store library's counters by the refresher.
  struct StoreView {
    uint64_t errors_connection = 0;  ///< Lost connection / store unreachable.
    uint64_t errors_statement = 0;   ///< A statement failed (deadlock, constraint, …).
    uint64_t errors_overload = 0;    ///< Refused at the queue's high-water mark.
    int64_t queue_depth = 0;
    bool db_up = false;
    int64_t hook_pending = -1;  ///< -1 = not known (no hooks configured).
  };
  void SetStore(const StoreView& v);
  void SetDraining(bool draining) { draining_.store(draining); }
  /// The writer's batch-size and commit-time histograms (copied by the refresher).
  void SetWriterHistograms(const callbacks::Histogram& batch_size,
                           const callbacks::Histogram& commit_seconds);

  uint64_t received(Received r) const { return received_.Get(static_cast<std::size_t>(r)); }
  uint64_t signature(Signature s) const { return signature_.Get(static_cast<std::size_t>(s)); }

  /// The whole exposition, `text/plain; version=0.0.4`.
  [[nodiscard]] std::string Render() const;

 private:
  CounterFamily received_;
  CounterFamily alerts_;
  CounterFamily signature_;
  CounterFamily hook_runs_;
  Histogram ack_;
  mutable std::mutex writer_mu_;
  callbacks::Histogram batch_size_;
  callbacks::Histogram commit_;
  Histogram hook_duration_;
  std::atomic<uint64_t> store_errors_[3] = {};
  std::atomic<int64_t> queue_depth_{0};
  std::atomic<int64_t> hook_pending_{-1};
  std::atomic<bool> db_up_{false};
  std::atomic<bool> draining_{false};
};

}  // namespace esimgo::cli
