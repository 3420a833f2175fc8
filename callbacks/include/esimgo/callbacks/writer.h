#pragma once
/// @file writer.h
/// The group-commit writer: one connection, one thread, many submitters.

#include <cstddef>
#include <future>
#include <memory>
#include <vector>

#include "esimgo/callbacks/types.h"
#include "esimgo/result.h"

namespace esimgo::callbacks {

namespace internal {
class BatchSink;
}  // namespace internal

/// Stores submitted callbacks in batches: each of its connections (StoreOptions::
/// writer_connections; SQLite always one) takes whatever is queued (at most
/// StoreOptions::max_batch; at once when idle, so low load means low latency), collapses
/// identical keys, sorts by key, runs one statement and commits — and completes each future
/// only after COMMIT. A failed batch fails every submission in it (answer 503 + Retry-After;
/// the sender retries and the dedupe window absorbs the redelivery); the writer reconnects
/// with backoff. Thread-safe.
class Writer {
 public:
  /// Use Store::NewWriter.
  Writer(std::vector<std::unique_ptr<internal::BatchSink>> sinks, const StoreOptions& options);
  /// Drains (see Close) and joins the thread.
  ~Writer();
  Writer(const Writer&) = delete;
  Writer& operator=(const Writer&) = delete;

  /// Queues one callback. The future resolves after the batch that holds it committed (an
  /// `Ack`), or failed. Errors: kUnavailable with retry_after (store down, batch failed,
  /// queue above the high-water mark, or the writer is closed).
  [[nodiscard]] std::future<Result<Ack>> Submit(Incoming incoming);

  /// Stops accepting (later Submits fail with kUnavailable), stores everything already
  /// queued, and stops the thread. Idempotent; blocks until done.
  void Close();

  /// Counters and histograms for /metrics, /readyz.
  [[nodiscard]] WriterStats Stats() const;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace esimgo::callbacks
