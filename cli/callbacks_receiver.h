#pragma once
/// @file callbacks_receiver.h
/// The request side of `callbacks listen`: verify a callback against the current and the
/// previous key, hand it to the store's group-commit writer, and answer 2xx only after COMMIT
/// (503 + Retry-After otherwise); plus /healthz, /readyz and /metrics.

#include <httplib.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <string>

#include "callbacks_internal.h"
#include "callbacks_metrics.h"

namespace esimgo::cli {

class HookRunner;

/// Where a receiver is in its life: serving, draining after SIGTERM (readyz 503, callbacks
/// still stored), stopping (callbacks 503).
enum class Phase { kServing, kDraining, kStopping };

/// The handlers' shared state. Thread-safe.
class Receiver {
 public:
  Receiver(const Context& ctx, CallbackKeys keys, bool require_signature, bool quiet,
           callbacks::Writer& writer, ReceiverMetrics& metrics, std::string source,
           std::string receiver_name);

  /// POST /callback (body already read and bounded by LimitedBody).
  void HandleCallback(const httplib::Request& req, httplib::Response& res);
  /// GET /healthz: the process answers (no store access).
  void HandleHealth(const httplib::Request& req, httplib::Response& res);
  /// GET /readyz: 200 only when the store answered lately, the queue is below its high-water
  /// mark and the receiver is not draining; 503 with a JSON body per component otherwise.
  void HandleReady(const httplib::Request& req, httplib::Response& res);
  /// GET /metrics: Prometheus text 0.0.4.
  void HandleMetrics(const httplib::Request& req, httplib::Response& res);

  void SetPhase(Phase p);
  /// Set by the background refresher: whether the store answered lately, queue depth.
  void SetStoreHealth(bool up, std::size_t queue_depth, std::size_t high_water);
  /// The hook runner to wake after a commit that queued hooks (may be null).
  void SetHooks(HookRunner* hooks) { hooks_ = hooks; }

 private:
  void Print(const callbacks::Event& event);

  const Context& ctx_;
  const CallbackKeys keys_;
  const bool require_signature_;
  const bool quiet_;
  callbacks::Writer& writer_;
  ReceiverMetrics& metrics_;
  const std::string source_;
  const std::string receiver_name_;
  HookRunner* hooks_ = nullptr;
  std::atomic<Phase> phase_{Phase::kServing};
  std::atomic<bool> store_up_{true};
  std::atomic<std::size_t> queue_depth_{0};
  std::atomic<std::size_t> high_water_{1};
  std::mutex print_mu_;
};

}  // namespace esimgo::cli
