// The request side of `callbacks listen`: verify, store through the group-commit writer, and
// answer only after COMMIT; health, readiness and metrics.

#include "callbacks_receiver.h"

#include <fmt/core.h>

#include <cstdio>
#include <future>
#include <nlohmann/json.hpp>

#include "callbacks_hooks.h"
#include "esimgo/net/http_guard.h"
#include "esimgo/webhook.h"
#include "json.h"

namespace esimgo::cli {
namespace {

using Signature = ReceiverMetrics::Signature;

// How long a request waits for its batch to commit before it gives up with 503. The commit
// may still land; the sender's retry is then a duplicate within the window (one row).
constexpr auto kCommitWait = std::chrono::seconds(25);

void Answer(httplib::Response& res, int status, std::string body) {
  res.status = status;
  res.set_content(std::move(body), "application/json");
}

void Unavailable(httplib::Response& res, std::chrono::seconds retry_after, std::string_view why) {
  res.set_header("Retry-After", std::to_string(std::max<int64_t>(1, retry_after.count())));
  Answer(res, 503,
         fmt::format("{{\"status\":\"unavailable\",\"message\":\"{}\"}}", JsonEscape(why)));
}

// True when `body` is a JSON object (an unsigned body that is not one is refused; a signed one
// is stored whatever it is).
bool IsJsonObject(const std::string& body) {
  auto first = body.find_first_not_of(" \t\r\n");
  return first != std::string::npos && body[first] == '{' && nlohmann::json::accept(body);
}

}  // namespace

Receiver::Receiver(const Context& ctx, CallbackKeys keys, bool require_signature, bool quiet,
                   callbacks::Writer& writer, ReceiverMetrics& metrics, std::string source,
                   std::string receiver_name)
    : ctx_(ctx),
      keys_(std::move(keys)),
      require_signature_(require_signature),
      quiet_(quiet),
      writer_(writer),
      metrics_(metrics),
      source_(std::move(source)),
      receiver_name_(std::move(receiver_name)) {}

void Receiver::SetPhase(Phase p) {
  phase_.store(p);
  metrics_.SetDraining(p != Phase::kServing);
}

void Receiver::SetStoreHealth(bool up, std::size_t queue_depth, std::size_t high_water) {
  store_up_.store(up);
  queue_depth_.store(queue_depth);
  high_water_.store(high_water);
}

void Receiver::HandleCallback(const httplib::Request& req, httplib::Response& res) {
  const auto t0 = std::chrono::steady_clock::now();
  // Verify against every configured key, always both (constant time each, and no early exit
  // that would tell a prober which key is in use).
  std::optional<int16_t> slot;
  Signature verdict = Signature::kMissing;
  if (req.has_header(std::string(webhook::kSignatureHeader))) {
    std::string sig = req.get_header_value(std::string(webhook::kSignatureHeader));
    bool current = webhook::VerifySignature(keys_.current, req.body, sig);
    bool previous =
        !keys_.previous.empty() && webhook::VerifySignature(keys_.previous, req.body, sig);
    if (current) {
      slot = 0;
      verdict = Signature::kCurrent;
    } else if (previous) {
      slot = 1;
      verdict = Signature::kPrevious;
    } else {
      verdict = Signature::kInvalid;
    }
  }
  metrics_.CountSignature(verdict);
  const bool verified = slot.has_value();
  if (!verified && require_signature_) {
    metrics_.CountReceived(verdict == Signature::kMissing ? Received::kUnsigned
                                                          : Received::kBadSignature);
    Answer(res, 401,
           net::JsonMessage(verdict == Signature::kMissing
                                ? "signature missing (X-Signature-SHA256)"
                                : "signature invalid for the configured keys"));
    return;
  }
  // Signed data is never dropped, whatever its shape; an unsigned body must at least be the
  // JSON object a callback is.
  if (!verified && !IsJsonObject(req.body)) {
    metrics_.CountReceived(Received::kMalformed);
    Answer(res, 400, net::JsonMessage("the body is not a JSON object"));
    return;
  }
  if (phase_.load() == Phase::kStopping) {
    metrics_.CountReceived(Received::kUnavailable);
    Unavailable(res, std::chrono::seconds(5), "the receiver is shutting down; retry later");
    return;
  }
  auto future = writer_.Submit({.body = req.body, .verified = verified, .key_slot = slot});
  Result<callbacks::Ack> ack =
      future.wait_for(kCommitWait) == std::future_status::ready
          ? future.get()
          : Fail(ErrorCode::kUnavailable, "the store did not commit in time");
  if (!ack) {
    // Never 2xx without a commit: the sender delivers again, and the dedupe window makes the
    // redelivery one row if this attempt did commit after all.
    metrics_.CountReceived(Received::kUnavailable);
    Unavailable(res, ack.error().retry_after.value_or(std::chrono::seconds(5)),
                "could not store the event; retry later");
    return;
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  metrics_.ObserveAck(seconds);
  if (!ack->stored) {
    metrics_.CountReceived(Received::kDuplicate);
    Answer(res, 200, R"({"status":"duplicate"})");
    return;
  }
  metrics_.CountReceived(Received::kStored);
  Answer(res, 200, fmt::format(R"({{"status":"stored","id":{}}})", ack->id));
  auto fields = callbacks::ExtractFields(req.body);
  metrics_.CountAlert(fields.alert_type.value_or(""));
  if (hooks_ != nullptr) hooks_->Wake();
  if (!quiet_) {
    callbacks::Event e;
    e.id = ack->id;
    e.received_at = std::chrono::system_clock::now();
    e.source = source_;
    e.alert_type = fields.alert_type;
    e.iccid = fields.iccid;
    e.verified = verified;
    e.key_slot = slot;
    e.receiver = receiver_name_;
    e.body = req.body;
    Print(e);
  }
}

void Receiver::Print(const callbacks::Event& e) {
  std::string line =
      (ctx_.out().format() == Format::kTable ? EventTableLine(e) : EventJsonLine(e)) + "\n";
  std::lock_guard lock(print_mu_);
  std::fputs(line.c_str(), stdout);
  std::fflush(stdout);
}

void Receiver::HandleHealth(const httplib::Request&, httplib::Response& res) {
  Answer(res, 200, R"({"status":"ok"})");
}

void Receiver::HandleReady(const httplib::Request&, httplib::Response& res) {
  const Phase phase = phase_.load();
  const bool up = store_up_.load();
  const std::size_t depth = queue_depth_.load();
  const bool queue_ok = depth < high_water_.load();
  const bool ready = phase == Phase::kServing && up && queue_ok;
  Answer(res, ready ? 200 : 503,
         fmt::format(R"({{"status":"{}","database":"{}","queue":{{"depth":{},"ok":{}}},)"
                     R"("draining":{}}})",
                     ready ? "ready" : "not ready", up ? "up" : "down", depth,
                     queue_ok ? "true" : "false", phase != Phase::kServing ? "true" : "false"));
}

void Receiver::HandleMetrics(const httplib::Request&, httplib::Response& res) {
  res.status = 200;
  res.set_content(metrics_.Render(), "text/plain; version=0.0.4; charset=utf-8");
}

}  // namespace esimgo::cli
