// The callback event store alone (no HTTP): how many callbacks per second one receiver's
// group-commit writer acknowledges — durably committed — and how long each acknowledgement
// takes, with a share of redeliveries mixed in. B2's bench/ load test covers HTTP + HMAC.
//
//   callbacks_store_bench TARGET [seconds] [clients] [dup_percent] [max_batch] [connections]
//
// TARGET is a SQLite path or a PostgreSQL conninfo/URL (bench/callbacks_store.sh starts a
// throwaway cluster and runs SQLite in the same run as the baseline). `clients` threads each
// submit one callback and wait for its acknowledgement, like HTTP worker threads;
// max_batch=1 gives the one-transaction-per-callback baseline. Prints key=value lines.

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "esimgo/callbacks/callbacks.h"

namespace {

using Clock = std::chrono::steady_clock;

std::string Body(uint64_t n) {
  // ~360 bytes, shaped like a V3 Utilisation alert.
  char buf[512];
  std::snprintf(buf, sizeof buf,
                R"({"alertType":"Utilisation","iccid":"894400000000%08llu","bundle":{"id":)"
                R"("7c2a5ae0-1f0e-4b3a-9d7e-%012llu","reference":"esims_1GB_7D_IT_V2",)"
                R"("name":"esims_1GB_7D_IT_V2","description":"eSIM, 1GB, 7 Days, Italy, V2",)"
                R"("initialQuantity":1000000000,"remainingQuantity":%llu,)"
                R"("startTime":"2026-11-30T10:00:00.000Z","endTime":"2026-12-07T10:00:00.000Z",)"
                R"("unlimited":false}})",
                static_cast<unsigned long long>(n % 100000000), static_cast<unsigned long long>(n),
                static_cast<unsigned long long>(n * 7919));
  return buf;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr,
                 "usage: %s TARGET [seconds=10] [clients=64] [dup_percent=20] [max_batch=128] "
                 "[connections=1]\n",
                 argv[0]);
    return 2;
  }
  const std::string target = argv[1];
  const int seconds = argc > 2 ? std::atoi(argv[2]) : 10;
  const int clients = argc > 3 ? std::atoi(argv[3]) : 64;
  const int dup_percent = argc > 4 ? std::atoi(argv[4]) : 20;
  const int max_batch = argc > 5 ? std::atoi(argv[5]) : 128;
  const int connections = argc > 6 ? std::atoi(argv[6]) : 1;

  esimgo::callbacks::StoreOptions options;
  options.source = "bench";
  options.receiver = "bench";
  options.max_batch = static_cast<std::size_t>(std::max(1, max_batch));
  options.writer_connections = static_cast<std::size_t>(std::max(1, connections));
  auto store = esimgo::callbacks::Store::Open(target, options);
  if (!store) {
    std::fprintf(stderr, "%s\n", store.error().ToString().c_str());
    return 1;
  }
  auto writer = (*store)->NewWriter();
  if (!writer) {
    std::fprintf(stderr, "%s\n", writer.error().ToString().c_str());
    return 1;
  }

  std::atomic<uint64_t> next{0};
  std::atomic<bool> stop{false};
  std::vector<std::vector<double>> latencies(static_cast<std::size_t>(clients));
  std::vector<uint64_t> stored(clients, 0), duplicates(clients, 0), errors(clients, 0);
  const auto started = Clock::now();
  std::vector<std::thread> threads;
  for (int c = 0; c < clients; ++c) {
    threads.emplace_back([&, c] {
      std::mt19937_64 rng(static_cast<uint64_t>(c) * 7777 + 1);
      std::uniform_int_distribution<int> pct(0, 99);
      auto& lat = latencies[static_cast<std::size_t>(c)];
      lat.reserve(200000);
      while (!stop.load(std::memory_order_relaxed)) {
        uint64_t n = next.fetch_add(1);
        // A redelivery: the same bytes as a recent callback (another thread's, often in flight).
        if (n > 100 && pct(rng) < dup_percent) n -= 1 + rng() % 100;
        const auto t0 = Clock::now();
        auto r = (*writer)->Submit({.body = Body(n), .verified = true, .key_slot = 0}).get();
        lat.push_back(std::chrono::duration<double>(Clock::now() - t0).count());
        if (!r) {
          ++errors[c];
        } else if (r->stored) {
          ++stored[c];
        } else {
          ++duplicates[c];
        }
      }
    });
  }
  std::this_thread::sleep_for(std::chrono::seconds(seconds));
  stop = true;
  for (auto& t : threads) t.join();
  const double elapsed = std::chrono::duration<double>(Clock::now() - started).count();

  std::vector<double> all;
  uint64_t s = 0, d = 0, e = 0;
  for (int c = 0; c < clients; ++c) {
    all.insert(all.end(), latencies[c].begin(), latencies[c].end());
    s += stored[c];
    d += duplicates[c];
    e += errors[c];
  }
  std::sort(all.begin(), all.end());
  auto pct = [&](double p) {
    return all.empty() ? 0.0
                       : all[std::min(all.size() - 1, static_cast<std::size_t>(p * all.size()))];
  };
  auto stats = (*writer)->Stats();
  std::printf("backend=%s\n",
              (*store)->backend() == esimgo::callbacks::Backend::kPostgres ? "postgres" : "sqlite");
  std::printf("seconds=%.1f clients=%d dup_percent=%d max_batch=%d connections=%d\n", elapsed,
              clients, dup_percent, max_batch, connections);
  std::printf("acks_per_s=%.0f\n", static_cast<double>(s + d) / elapsed);
  std::printf("stored=%llu duplicates=%llu errors=%llu\n", static_cast<unsigned long long>(s),
              static_cast<unsigned long long>(d), static_cast<unsigned long long>(e));
  std::printf("ack_p50_ms=%.2f ack_p99_ms=%.2f ack_max_ms=%.2f\n", pct(0.50) * 1e3, pct(0.99) * 1e3,
              all.empty() ? 0.0 : all.back() * 1e3);
  std::printf("batches=%llu mean_batch=%.1f mean_commit_ms=%.2f\n",
              static_cast<unsigned long long>(stats.batches),
              stats.batch_size.count ? stats.batch_size.sum / stats.batch_size.count : 0.0,
              stats.commit_seconds.count
                  ? stats.commit_seconds.sum / stats.commit_seconds.count * 1e3
                  : 0.0);
  return e == 0 ? 0 : 1;
}
