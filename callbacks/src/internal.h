#pragma once
// Seams between the backend-neutral parts (writer, stream) and the backends (pg_store.cc,
// sqlite_store.cc). Not installed.

#include <array>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "esimgo/callbacks/dedupe.h"
#include "esimgo/callbacks/store.h"
#include "esimgo/callbacks/types.h"
#include "esimgo/result.h"

namespace esimgo::callbacks::internal {

/// One distinct callback of a batch (identical keys already collapsed, sorted by key).
struct BatchItem {
  std::array<uint8_t, 32> key{};
  Fields fields;
  bool verified = false;
  std::optional<int16_t> key_slot;
  std::string body;
};

/// What the database decided for one BatchItem.
struct BatchOutcome {
  bool accepted = false;  ///< This transaction created the event.
  int64_t id = 0;         ///< Its id when accepted.
};

/// The writer's connection: one statement + commit per batch.
class BatchSink {
 public:
  virtual ~BatchSink() = default;
  /// (Re)connects if not connected. Errors: kUnavailable.
  virtual Result<void> Connect() = 0;
  /// True while a connection is believed usable.
  [[nodiscard]] virtual bool connected() const = 0;
  /// Stores `items` (sorted by key, distinct) in one transaction; outcomes align with items.
  /// Returns only after COMMIT. On failure nothing of the batch is committed, or — if the
  /// link died during COMMIT — the outcome is unknown; either way the caller answers
  /// "unavailable" and the sender's redelivery is absorbed by the dedupe window.
  virtual Result<std::vector<BatchOutcome>> Commit(std::span<const BatchItem> items) = 0;
};

/// Wakes a following stream when new events may be there.
class Waker {
 public:
  virtual ~Waker() = default;
  /// Blocks until a wake-up, `timeout`, or Interrupt. Errors: kUnavailable (link lost; the
  /// stream falls back to polling and the waker reconnects on the next call).
  virtual Result<void> Wait(std::chrono::milliseconds timeout) = 0;
  /// Makes Wait return now and from then on. Thread-safe.
  virtual void Interrupt() noexcept = 0;
  /// True after Interrupt. Thread-safe.
  [[nodiscard]] virtual bool interrupted() const noexcept = 0;
};

Result<std::unique_ptr<Store>> OpenPgStore(std::string_view target, const StoreOptions& options);
Result<std::unique_ptr<BatchSink>> NewPgSink(std::string_view target, const StoreOptions& options);
Result<std::unique_ptr<Waker>> NewPgWaker(std::string_view target, const StoreOptions& options);

Result<std::unique_ptr<Store>> OpenSqliteStore(std::string_view target,
                                               const StoreOptions& options);
Result<std::unique_ptr<BatchSink>> NewSqliteSink(std::string_view target,
                                                 const StoreOptions& options);
Result<std::unique_ptr<Waker>> NewSqliteWaker(std::string_view target, const StoreOptions& options);

/// A caller's row limit as SQL wants it: at least 1, at most 1,000,000 (so SIZE_MAX does not
/// turn into a negative LIMIT).
inline int64_t ClampLimit(std::size_t n) {
  return static_cast<int64_t>(n < 1 ? 1 : (n > 1000000 ? 1000000 : n));
}

/// kUnavailable with Retry-After 5 s (what a receiver answers as 503).
tl::unexpected<Error> Unavailable(std::string message, std::string operation);

/// Delay before the next attempt after `attempts` failed runs, with jitter.
std::chrono::milliseconds HookDelay(const HookRetryPolicy& policy, int attempts);
// What a failed hook run after `attempts` tries becomes: dead, or retried after HookDelay.
HookFailOutcome HookFailure(const HookRetryPolicy& policy, int attempts);

}  // namespace esimgo::callbacks::internal
