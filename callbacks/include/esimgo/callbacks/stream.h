#pragma once
/// @file stream.h
/// Reading the event stream: pages, follow mode and named consumer offsets.

#include <chrono>
#include <cstddef>
#include <memory>
#include <vector>

#include "esimgo/callbacks/store.h"
#include "esimgo/callbacks/types.h"
#include "esimgo/result.h"

namespace esimgo::callbacks {

namespace internal {
class Waker;
}  // namespace internal

/// A cursor over the stored events (the SDK side of `callbacks tail`). Not thread-safe,
/// except `Stop`, which may be called from any thread (e.g. a signal handler's helper).
///
///   auto stream = store->OpenStream({.consumer = "billing"});
///   while (auto page = (*stream)->Wait(std::chrono::seconds(30))) {
///     for (const Event& e : *page) Handle(e);
///     (void)(*stream)->Commit();  // a restart resumes after the last handled event
///   }
class EventStream {
 public:
  /// Use Store::OpenStream.
  EventStream(std::unique_ptr<Store> reader, std::unique_ptr<internal::Waker> waker,
              StreamOptions options, Cursor start);
  ~EventStream();
  EventStream(const EventStream&) = delete;
  EventStream& operator=(const EventStream&) = delete;

  /// The next page of finished events after the position (empty when caught up); advances
  /// the position. Errors: kUnavailable.
  [[nodiscard]] Result<std::vector<Event>> Next();

  /// Follow mode: like Next, but when caught up waits for a wake-up (PostgreSQL NOTIFY,
  /// SQLite file change) or the poll interval, until events arrive, `timeout` passes (empty
  /// page) or Stop is called (empty page; `stopped()` is then true).
  [[nodiscard]] Result<std::vector<Event>> Wait(std::chrono::milliseconds timeout);

  /// Saves the position as the consumer's offset (no-op without a consumer). Call after the
  /// events returned so far are handled: at-least-once.
  [[nodiscard]] Result<void> Commit();

  /// Where the next read starts.
  [[nodiscard]] Cursor position() const noexcept { return position_; }

  /// Makes a blocked or later Wait return at once. Thread-safe.
  void Stop() noexcept;
  /// True after Stop.
  [[nodiscard]] bool stopped() const noexcept;

 private:
  std::unique_ptr<Store> reader_;
  std::unique_ptr<internal::Waker> waker_;
  StreamOptions options_;
  Cursor position_;
};

}  // namespace esimgo::callbacks
