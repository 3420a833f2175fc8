#include "esimgo/callbacks/writer.h"

#include <algorithm>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>

#include "internal.h"

namespace esimgo::callbacks {

namespace {

using Clock = std::chrono::steady_clock;

struct Pending {
  internal::BatchItem item;
  std::promise<Result<Ack>> promise;
};

Histogram MakeHistogram(std::vector<double> bounds) {
  Histogram h;
  h.counts.assign(bounds.size() + 1, 0);
  h.bounds = std::move(bounds);
  return h;
}

void Observe(Histogram& h, double v) {
  auto it = std::lower_bound(h.bounds.begin(), h.bounds.end(), v);
  ++h.counts[static_cast<std::size_t>(it - h.bounds.begin())];
  h.sum += v;
  ++h.count;
}

constexpr auto kFirstBackoff = std::chrono::milliseconds(100);
constexpr auto kMaxBackoff = std::chrono::milliseconds(5000);

}  // namespace

// One connection and the thread that drives it.
struct Lane {
  std::unique_ptr<internal::BatchSink> sink;
  Clock::time_point next_connect{};
  std::chrono::milliseconds backoff = kFirstBackoff;
  std::thread thread;
};

struct Writer::State {
  std::vector<std::unique_ptr<Lane>> lanes;
  StoreOptions options;

  mutable std::mutex mu;  // guards queue, closing, stats
  std::condition_variable cv;
  std::deque<Pending> queue;
  bool closing = false;
  WriterStats stats;
  Clock::time_point last_success{};
  bool ever_succeeded = false;

  std::once_flag close_once;

  void Run(Lane& lane);
  void Process(Lane& lane, std::vector<Pending>& batch);
  void FailAll(std::vector<Pending>& batch, const Error& error);
};

Writer::Writer(std::vector<std::unique_ptr<internal::BatchSink>> sinks, const StoreOptions& options)
    : state_(std::make_unique<State>()) {
  state_->options = options;
  state_->stats.batch_size = MakeHistogram({1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024});
  state_->stats.commit_seconds =
      MakeHistogram({0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5});
  for (auto& sink : sinks) {
    auto lane = std::make_unique<Lane>();
    state_->stats.db_up = state_->stats.db_up || sink->connected();
    lane->sink = std::move(sink);
    state_->lanes.push_back(std::move(lane));
  }
  if (state_->stats.db_up) {
    state_->last_success = Clock::now();
    state_->ever_succeeded = true;
  }
  for (auto& lane : state_->lanes) {
    lane->thread = std::thread([s = state_.get(), l = lane.get()] { s->Run(*l); });
  }
}

Writer::~Writer() { Close(); }

std::future<Result<Ack>> Writer::Submit(Incoming incoming) {
  Pending p;
  // Hashing and field extraction run on the submitting (HTTP) thread, so they spread over
  // cores instead of serialising in the writer.
  p.item.key = DedupeKey(state_->options.source, incoming.body);
  p.item.fields = ExtractFields(incoming.body);
  p.item.verified = incoming.verified;
  p.item.key_slot = incoming.key_slot;
  p.item.body = std::move(incoming.body);
  auto future = p.promise.get_future();
  {
    std::lock_guard lock(state_->mu);
    ++state_->stats.submitted;
    if (state_->closing) {
      ++state_->stats.failed;
      p.promise.set_value(internal::Unavailable("the receiver is shutting down; send again",
                                                "callbacks.Writer.Submit"));
      return future;
    }
    if (state_->queue.size() >= state_->options.queue_high_water) {
      ++state_->stats.rejected_full;
      p.promise.set_value(internal::Unavailable(
          "the store is behind (queue full); send again later", "callbacks.Writer.Submit"));
      return future;
    }
    state_->queue.push_back(std::move(p));
  }
  state_->cv.notify_one();
  return future;
}

void Writer::Close() {
  std::call_once(state_->close_once, [this] {
    {
      std::lock_guard lock(state_->mu);
      state_->closing = true;
    }
    state_->cv.notify_all();
    for (auto& lane : state_->lanes) {
      if (lane->thread.joinable()) lane->thread.join();
    }
  });
}

WriterStats Writer::Stats() const {
  std::lock_guard lock(state_->mu);
  WriterStats s = state_->stats;
  s.queue_depth = state_->queue.size();
  s.seconds_since_success =
      state_->ever_succeeded
          ? std::chrono::duration<double>(Clock::now() - state_->last_success).count()
          : 1e9;
  return s;
}

void Writer::State::Run(Lane& lane) {
  std::vector<Pending> batch;
  for (;;) {
    {
      std::unique_lock lock(mu);
      cv.wait(lock, [&] { return closing || !queue.empty(); });
      if (queue.empty()) return;  // closing and drained
      // No fixed linger: take whatever accumulated while the previous batch committed.
      // Idle → a batch of one goes out at once; busy → batches grow by themselves.
      std::size_t n = std::min(queue.size(), options.max_batch);
      batch.clear();
      batch.reserve(n);
      for (std::size_t i = 0; i < n; ++i) {
        batch.push_back(std::move(queue.front()));
        queue.pop_front();
      }
    }
    Process(lane, batch);
  }
}

void Writer::State::FailAll(std::vector<Pending>& batch, const Error& error) {
  {
    std::lock_guard lock(mu);
    stats.failed += batch.size();
  }
  for (Pending& p : batch) p.promise.set_value(tl::unexpected(error));
}

void Writer::State::Process(Lane& lane, std::vector<Pending>& batch) {
  internal::BatchSink* sink = lane.sink.get();
  auto& next_connect = lane.next_connect;
  auto& backoff = lane.backoff;
  if (!sink->connected()) {
    const auto now = Clock::now();
    if (now < next_connect) {
      FailAll(batch, internal::Unavailable("the event store is unreachable; send again later",
                                           "callbacks.Writer.Submit")
                         .value());
      return;
    }
    if (auto ok = sink->Connect(); !ok) {
      next_connect = now + backoff;
      backoff = std::min(backoff * 2, kMaxBackoff);
      {
        std::lock_guard lock(mu);
        ++stats.store_errors_connect;
        stats.db_up = false;
      }
      Error e = ok.error();
      e.code = ErrorCode::kUnavailable;
      e.retry_after = std::chrono::seconds(5);
      FailAll(batch, e);
      return;
    }
    backoff = kFirstBackoff;
  }

  // Collapse identical keys (ON CONFLICT DO UPDATE may not touch one row twice in a
  // statement) and sort by key: every writer locks dedupe rows in the same order, so
  // overlapping batches of several receivers cannot deadlock.
  std::vector<std::size_t> order(batch.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return batch[a].item.key < batch[b].item.key;
  });
  std::vector<internal::BatchItem> items;
  std::vector<std::size_t> group_of(batch.size());
  items.reserve(batch.size());
  for (std::size_t k = 0; k < order.size(); ++k) {
    std::size_t i = order[k];
    if (items.empty() || items.back().key != batch[i].item.key) {
      items.push_back(std::move(batch[i].item));
    }
    group_of[i] = items.size() - 1;
  }

  const auto started = Clock::now();
  auto outcomes = sink->Commit(items);
  const double seconds = std::chrono::duration<double>(Clock::now() - started).count();
  if (!outcomes) {
    {
      std::lock_guard lock(mu);
      ++stats.store_errors_statement;
      stats.db_up = sink->connected();
    }
    if (!sink->connected()) next_connect = Clock::now() + backoff;
    Error e = outcomes.error();
    e.code = ErrorCode::kUnavailable;
    e.http_status = 503;
    e.retry_after = std::chrono::seconds(5);
    FailAll(batch, e);
    return;
  }

  // The first submission of a key (in arrival order) gets the database's answer; the others
  // of the same batch are redeliveries of it.
  std::vector<bool> answered(items.size(), false);
  uint64_t stored = 0;
  uint64_t duplicates = 0;
  std::vector<Ack> acks(batch.size());
  for (std::size_t i = 0; i < batch.size(); ++i) {
    std::size_t g = group_of[i];
    const internal::BatchOutcome& o = (*outcomes)[g];
    if (!answered[g] && o.accepted) {
      acks[i] = Ack{.stored = true, .id = o.id};
      ++stored;
    } else {
      acks[i] = Ack{.stored = false, .id = 0};
      ++duplicates;
    }
    answered[g] = true;
  }
  {
    std::lock_guard lock(mu);
    ++stats.batches;
    stats.stored += stored;
    stats.duplicates += duplicates;
    stats.db_up = true;
    last_success = Clock::now();
    ever_succeeded = true;
    Observe(stats.batch_size, static_cast<double>(items.size()));
    Observe(stats.commit_seconds, seconds);
  }
  for (std::size_t i = 0; i < batch.size(); ++i) batch[i].promise.set_value(acks[i]);
}

}  // namespace esimgo::callbacks
