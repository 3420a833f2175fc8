#pragma once
// Outbound usage/balance alerts: handed over by the engine after a commit, delivered in the
// background to the organisation's callback URL (V2 unsigned, V3 with X-Signature-SHA256),
// every attempt recorded for GET /_sandbox/callbacks.

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace esimgo::sandbox {

struct DeliveryAttempt {
  int64_t id = 0;   // alert sequence number
  int attempt = 0;  // 1-based
  std::string url;
  std::string body;
  int status = 0;  // HTTP status, 0 = no response / not sent
  std::string error;
  std::string signature;  // V3 only
  int64_t at_ms = 0;
};

class AlertOutbox {
 public:
  AlertOutbox(int version, std::string api_key);
  ~AlertOutbox();
  // Queues `body` for `url`; without a URL the alert is recorded as not sent.
  void Send(const std::string& url, std::string body);
  // Every attempt so far, oldest first.
  std::vector<DeliveryAttempt> Attempts();
  // Waits (bounded) for queued deliveries, then stops. Idempotent.
  void Stop();
  // Blocks until nothing is queued or in flight (or `timeout_ms` passes).
  bool Drain(int timeout_ms);

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace esimgo::sandbox
