// The receiver's metrics: fixed families, relaxed atomics, rendered in Prometheus text 0.0.4.

#include "callbacks_metrics.h"

#include <fmt/core.h>

#include <cmath>

#include "esimgo/webhook.h"

namespace esimgo::cli {
namespace {

// Every known alert type and "other": a sender cannot grow the series set.
std::vector<std::string> AlertLabels() {
  std::vector<std::string> v;
  for (int t = 0; t < static_cast<int>(webhook::AlertType::kUnknown); ++t) {
    v.emplace_back(webhook::AlertTypeName(static_cast<webhook::AlertType>(t)));
  }
  v.emplace_back("other");
  return v;
}

// Label values are ours (fixed lists), but escape anyway: the format requires it.
std::string EscapeLabel(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == '\\' || c == '"') {
      out += '\\';
      out += c;
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

std::string Number(double v) {
  if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
  return fmt::format("{}", v);
}

void Header(std::string& out, std::string_view name, std::string_view help, std::string_view type) {
  out += fmt::format("# HELP {} {}\n# TYPE {} {}\n", name, help, name, type);
}

}  // namespace

CounterFamily::CounterFamily(std::string name, std::string help, std::string label,
                             std::vector<std::string> values)
    : name_(std::move(name)),
      help_(std::move(help)),
      label_(std::move(label)),
      values_(std::move(values)),
      counts_(std::make_unique<std::atomic<uint64_t>[]>(values_.size())) {}

void CounterFamily::Add(std::size_t index, uint64_t n) {
  if (index < values_.size()) counts_[index].fetch_add(n, std::memory_order_relaxed);
}

uint64_t CounterFamily::Get(std::size_t index) const {
  return index < values_.size() ? counts_[index].load(std::memory_order_relaxed) : 0;
}

void CounterFamily::Render(std::string& out) const {
  Header(out, name_, help_, "counter");
  for (std::size_t i = 0; i < values_.size(); ++i) {
    out += fmt::format("{}{{{}=\"{}\"}} {}\n", name_, label_, EscapeLabel(values_[i]), Get(i));
  }
}

Histogram::Histogram(std::string name, std::string help, std::vector<double> bounds)
    : name_(std::move(name)),
      help_(std::move(help)),
      bounds_(std::move(bounds)),
      buckets_(std::make_unique<std::atomic<uint64_t>[]>(bounds_.size() + 1)) {}

void Histogram::Observe(double value) {
  std::size_t i = 0;
  while (i < bounds_.size() && value > bounds_[i]) ++i;
  buckets_[i].fetch_add(1, std::memory_order_relaxed);
  sum_nano_.fetch_add(static_cast<int64_t>(std::llround(value * 1e9)), std::memory_order_relaxed);
  count_.fetch_add(1, std::memory_order_relaxed);
}

void Histogram::Render(std::string& out) const {
  Header(out, name_, help_, "histogram");
  // Read the buckets first and derive the count from them, so that a scrape racing an Observe
  // still shows a consistent histogram (+Inf bucket == _count).
  uint64_t cumulative = 0;
  for (std::size_t i = 0; i <= bounds_.size(); ++i) {
    cumulative += buckets_[i].load(std::memory_order_relaxed);
    double le = i < bounds_.size() ? bounds_[i] : INFINITY;
    out += fmt::format("{}_bucket{{le=\"{}\"}} {}\n", name_, Number(le), cumulative);
  }
  out += fmt::format("{}_sum {}\n", name_,
                     Number(static_cast<double>(sum_nano_.load(std::memory_order_relaxed)) / 1e9));
  out += fmt::format("{}_count {}\n", name_, cumulative);
}

ReceiverMetrics::ReceiverMetrics()
    : received_("esimgo_callbacks_received_total",
                "Callback requests by result (stored, duplicate, refused, not stored).", "result",
                {"stored", "duplicate", "unsigned", "bad_signature", "too_large", "malformed",
                 "unavailable"}),
      alerts_("esimgo_callbacks_alerts_total",
              "Stored callbacks by alertType (known types, everything else as other).",
              "alert_type", AlertLabels()),
      signature_("esimgo_callback_signature_total",
                 "Verified signatures by the key that verified them (rotation: watch previous "
                 "fall to 0 before dropping the old key).",
                 "key", {"current", "previous", "invalid", "missing"}),
      hook_runs_("esimgo_hook_runs_total", "--exec hook runs by result.", "result",
                 {"ok", "failed", "dead", "error"}),
      ack_("esimgo_callback_ack_seconds",
           "Time from a callback's body read to its answer (2xx only after COMMIT).",
           {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5}),
      hook_duration_("esimgo_hook_duration_seconds", "Wall time of one --exec hook run.",
                     {0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30, 60}) {}

void ReceiverMetrics::CountAlert(std::string_view alert_type) {
  for (int t = 0; t < static_cast<int>(webhook::AlertType::kUnknown); ++t) {
    if (webhook::AlertTypeName(static_cast<webhook::AlertType>(t)) == alert_type) {
      alerts_.Add(static_cast<std::size_t>(t));
      return;
    }
  }
  alerts_.Add(static_cast<std::size_t>(webhook::AlertType::kUnknown));
}

void ReceiverMetrics::CountHookRun(std::string_view result) {
  static constexpr std::string_view kResults[] = {"ok", "failed", "dead", "error"};
  for (std::size_t i = 0; i < std::size(kResults); ++i) {
    if (kResults[i] == result) hook_runs_.Add(i);
  }
}

void ReceiverMetrics::SetStore(const StoreView& v) {
  store_errors_[0].store(v.errors_connection);
  store_errors_[1].store(v.errors_statement);
  store_errors_[2].store(v.errors_overload);
  queue_depth_.store(v.queue_depth);
  db_up_.store(v.db_up);
  hook_pending_.store(v.hook_pending);
}

void ReceiverMetrics::SetWriterHistograms(const callbacks::Histogram& batch_size,
                                          const callbacks::Histogram& commit_seconds) {
  std::lock_guard lock(writer_mu_);
  batch_size_ = batch_size;
  commit_ = commit_seconds;
}

namespace {

// A histogram of the store library (non-cumulative counts) in the exposition format.
void RenderStoreHistogram(std::string& out, std::string_view name, std::string_view help,
                          const callbacks::Histogram& h) {
  Header(out, name, help, "histogram");
  uint64_t cumulative = 0;
  for (std::size_t i = 0; i < h.counts.size(); ++i) {
    cumulative += h.counts[i];
    double le = i < h.bounds.size() ? h.bounds[i] : INFINITY;
    out += fmt::format("{}_bucket{{le=\"{}\"}} {}\n", name, Number(le), cumulative);
  }
  if (h.counts.empty()) out += fmt::format("{}_bucket{{le=\"+Inf\"}} 0\n", name);
  out += fmt::format("{}_sum {}\n{}_count {}\n", name, Number(h.sum), name, cumulative);
}

}  // namespace

std::string ReceiverMetrics::Render() const {
  std::string out;
  out.reserve(8192);
  received_.Render(out);
  alerts_.Render(out);
  signature_.Render(out);
  hook_runs_.Render(out);
  ack_.Render(out);
  {
    std::lock_guard lock(writer_mu_);
    RenderStoreHistogram(out, "esimgo_store_batch_size",
                         "Callbacks per committed store transaction.", batch_size_);
    RenderStoreHistogram(out, "esimgo_store_commit_seconds",
                         "Time of one batch statement and its COMMIT.", commit_);
  }
  hook_duration_.Render(out);
  Header(out, "esimgo_store_errors_total", "Store failures by kind.", "counter");
  static constexpr std::string_view kKinds[] = {"connection", "statement", "overload"};
  for (int i = 0; i < 3; ++i) {
    out += fmt::format("esimgo_store_errors_total{{kind=\"{}\"}} {}\n", kKinds[i],
                       store_errors_[i].load());
  }
  Header(out, "esimgo_store_queue_depth", "Callbacks waiting for the store writer.", "gauge");
  out += fmt::format("esimgo_store_queue_depth {}\n", queue_depth_.load());
  Header(out, "esimgo_db_up", "1 when the last commit or ping of the store succeeded.", "gauge");
  out += fmt::format("esimgo_db_up {}\n", db_up_.load() ? 1 : 0);
  if (int64_t pending = hook_pending_.load(); pending >= 0) {
    Header(out, "esimgo_hook_pending", "Hook runs waiting in the durable queue.", "gauge");
    out += fmt::format("esimgo_hook_pending {}\n", pending);
  }
  Header(out, "esimgo_receiver_draining", "1 after SIGTERM, while the receiver drains.", "gauge");
  out += fmt::format("esimgo_receiver_draining {}\n", draining_.load() ? 1 : 0);
  Header(out, "esimgo_build_info", "The esimgo version (always 1).", "gauge");
  out += fmt::format("esimgo_build_info{{version=\"{}\"}} 1\n", ESIMGO_VERSION_STRING);
  return out;
}

}  // namespace esimgo::cli
