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
// The dispatcher (and its delivery thread) starts with the first callback that has a URL: a
// sandbox that never sends one (the CLI's embedded sandbox, most tests) starts no thread.
struct AlertOutbox::Impl {
  std::mutex mu;
  std::vector<DeliveryAttempt> attempts;
  std::unique_ptr<CallbackDispatcher> dispatcher;  // under mu; null until needed
  bool stopped = false;                            // under mu
  std::string url;
  CallbackVersion version = CallbackVersion::kV2;
  std::string api_key;
  int64_t next_unsent_id = -1;

  CallbackDispatcher& Dispatcher();  // with mu held
};

AlertOutbox::AlertOutbox(int version, std::string api_key) : impl_(std::make_unique<Impl>()) {
  impl_->version = version == 3 ? CallbackVersion::kV3 : CallbackVersion::kV2;
  impl_->api_key = std::move(api_key);
}

CallbackDispatcher& AlertOutbox::Impl::Dispatcher() {
  if (dispatcher) return *dispatcher;
  Impl* impl = this;
  dispatcher = std::make_unique<CallbackDispatcher>(CallbackDispatcherOptions{
      .version = version,
      .api_key = api_key,
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
  return *dispatcher;
}

AlertOutbox::~AlertOutbox() { Stop(); }

void AlertOutbox::Send(const std::string& url, std::string body) {
  std::lock_guard lock(impl_->mu);
  if (url.empty() || impl_->stopped) {
    impl_->attempts.push_back(
        {.id = impl_->next_unsent_id--,
         .attempt = 0,
         .body = std::move(body),
         .error = url.empty() ? "no callback URL configured" : "the sandbox is stopping",
         .at_ms = WallMs()});
    return;
  }
  if (url != impl_->url) {
    if (auto r = impl_->Dispatcher().SetTarget(url, impl_->version); !r) {
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
  if (auto r = impl_->Dispatcher().Enqueue(body); !r) {
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
  CallbackDispatcher* d = nullptr;
  {
    std::lock_guard lock(impl_->mu);
    d = impl_->dispatcher.get();
  }
  // Waiting happens outside mu: the delivery thread takes it to record each attempt.
  return d == nullptr || d->WaitIdle(std::chrono::milliseconds(timeout_ms));
}

void AlertOutbox::Stop() {
  if (!impl_) return;
  CallbackDispatcher* d = nullptr;
  {
    std::lock_guard lock(impl_->mu);
    impl_->stopped = true;  // no dispatcher is created after this
    d = impl_->dispatcher.get();
  }
  if (d != nullptr) d->Stop(std::chrono::milliseconds(2000));
}

}  // namespace esimgo::sandbox
