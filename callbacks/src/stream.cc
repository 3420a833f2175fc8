#include "esimgo/callbacks/stream.h"

#include "internal.h"

namespace esimgo::callbacks {

EventStream::EventStream(std::unique_ptr<Store> reader, std::unique_ptr<internal::Waker> waker,
                         StreamOptions options, Cursor start)
    : reader_(std::move(reader)),
      waker_(std::move(waker)),
      options_(std::move(options)),
      position_(start) {}

EventStream::~EventStream() = default;

Result<std::vector<Event>> EventStream::Next() {
  auto page = reader_->Read(position_, options_.filter, options_.page_size);
  if (!page) return tl::unexpected(page.error());
  position_ = page->next;
  return std::move(page->events);
}

Result<std::vector<Event>> EventStream::Wait(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    if (waker_->interrupted()) return std::vector<Event>{};
    auto events = Next();
    if (!events || !events->empty()) return events;
    const auto now = std::chrono::steady_clock::now();
    if (now >= deadline) return std::vector<Event>{};
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - now);
    // A NOTIFY only says "look again"; the poll interval is the backstop for a lost wake-up
    // and for a transaction that was still running (below the horizon) at the last read.
    auto slice = std::min(left, options_.poll_interval);
    if (auto ok = waker_->Wait(slice); !ok) {
      // The wake-up link is down: keep following by polling (the read reports real outages).
      (void)ok;
    }
  }
}

Result<void> EventStream::Commit() {
  if (!options_.consumer) return {};
  return reader_->SaveOffset(*options_.consumer, position_);
}

void EventStream::Stop() noexcept { waker_->Interrupt(); }

bool EventStream::stopped() const noexcept { return waker_->interrupted(); }

}  // namespace esimgo::callbacks
