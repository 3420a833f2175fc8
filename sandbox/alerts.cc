#include "alerts.h"

#include <chrono>
#include <mutex>

#include "callbacks.h"

namespace esimgo::sandbox {
namespace {

int64_t WallMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

// Delivery by the shared CallbackDispatcher (sandbox/callbacks.h); we keep every attempt.
struct AlertOutbox::Impl {
  std::mutex mu;
  std::vector<DeliveryAttempt> attempts;
  std::unique_ptr<CallbackDispatcher> dispatcher;
  std::string url;
  CallbackVersion version = CallbackVersion::kV2;
  int64_t next_unsent_id = -1;
};

AlertOutbox::AlertOutbox(int version, std::string api_key) : impl_(std::make_unique<Impl>()) {
  impl_->version = version == 3 ? CallbackVersion::kV3 : CallbackVersion::kV2;
  Impl* impl = impl_.get();
  impl_->dispatcher = std::make_unique<CallbackDispatcher>(CallbackDispatcherOptions{
      .version = impl_->version,
      .api_key = std::move(api_key),
      .retry = {.max_attempts = 4, .initial_backoff = std::chrono::milliseconds(200)},
      .sink =
          [impl](const CallbackAttempt& a) {
            std::lock_guard lock(impl->mu);
            impl->attempts.push_back(
                {.id = a.delivery_id,
                 .attempt = a.attempt,
                 .url = a.url,
                 .body = a.body,
                 .status = a.http_status,
                 .error = a.error,
                 .signature = a.signature,
                 .at_ms =
                     std::chrono::duration_cast<std::chrono::milliseconds>(a.at.time_since_epoch())
                         .count()});
            if (impl->attempts.size() > 10'000) impl->attempts.erase(impl->attempts.begin());
          },
  });
}

AlertOutbox::~AlertOutbox() { Stop(); }

void AlertOutbox::Send(const std::string& url, std::string body) {
  std::lock_guard lock(impl_->mu);
  if (url.empty()) {
    impl_->attempts.push_back({.id = impl_->next_unsent_id--,
                               .attempt = 0,
                               .body = std::move(body),
                               .error = "no callback URL configured",
                               .at_ms = WallMs()});
    return;
  }
  if (url != impl_->url) {
    if (auto r = impl_->dispatcher->SetTarget(url, impl_->version); !r) {
      impl_->attempts.push_back({.id = impl_->next_unsent_id--,
                                 .attempt = 0,
                                 .url = url,
                                 .body = std::move(body),
                                 .error = r.error().message,
                                 .at_ms = WallMs()});
      return;
    }
    impl_->url = url;
  }
  if (auto r = impl_->dispatcher->Enqueue(body); !r) {
    impl_->attempts.push_back({.id = impl_->next_unsent_id--,
                               .attempt = 0,
                               .url = url,
                               .body = std::move(body),
                               .error = r.error().message,
                               .at_ms = WallMs()});
  }
}

std::vector<DeliveryAttempt> AlertOutbox::Attempts() {
  std::lock_guard lock(impl_->mu);
  return impl_->attempts;
}

bool AlertOutbox::Drain(int timeout_ms) {
  return impl_->dispatcher->WaitIdle(std::chrono::milliseconds(timeout_ms));
}

void AlertOutbox::Stop() {
  if (impl_ && impl_->dispatcher) impl_->dispatcher->Stop(std::chrono::milliseconds(2000));
}

}  // namespace esimgo::sandbox
