// The building blocks of net/ on their own: the elastic worker pool, the per-address counter and
// the gzip cache (its bound and its correctness), without a server around them.

#include <gtest/gtest.h>
#include <httplib.h>

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <string>

#include "esimgo/net/gzip_cache.h"
#include "esimgo/net/http_guard.h"

namespace esimgo::net {
namespace {

std::string Gunzip(const std::string& gz) {
  httplib::detail::gzip_decompressor d;
  std::string out;
  EXPECT_TRUE(d.decompress(gz.data(), gz.size(), [&](const char* p, size_t n) {
    out.append(p, n);
    return true;
  }));
  return out;
}

std::string Page(int seed, size_t bytes) {
  std::string s;
  s.reserve(bytes);
  uint32_t x = static_cast<uint32_t>(seed) * 2654435761u + 1;
  while (s.size() < bytes) {
    x = x * 1664525u + 1013904223u;
    s += "{\"name\":\"esim_" + std::to_string(x % 997) +
         "\",\"price\":" + std::to_string(x % 1000) + "},";
  }
  return s;
}

TEST(GzipCache, ASecondRequestForTheSameBytesIsServedFromTheCache) {
  GzipCache cache(8u << 20);
  std::string page = Page(1, 600'000);
  auto first = cache.Compress(page);
  auto second = cache.Compress(std::string(page));  // equal bytes, another buffer
  ASSERT_NE(first, nullptr);
  EXPECT_EQ(first.get(), second.get());
  EXPECT_EQ(cache.stats().hits, 1u);
  EXPECT_EQ(cache.stats().misses, 1u);
  EXPECT_EQ(Gunzip(*first), page);
  EXPECT_LT(first->size(), page.size() / 4);
}

TEST(GzipCache, DifferentBytesNeverShareAnEntry) {
  GzipCache cache(8u << 20);
  std::string a = Page(2, 100'000), b = a;
  b[50'000] = b[50'000] == 'x' ? 'y' : 'x';
  EXPECT_EQ(Gunzip(*cache.Compress(a)), a);
  EXPECT_EQ(Gunzip(*cache.Compress(b)), b);
  EXPECT_EQ(cache.stats().hits, 0u);
}

TEST(GzipCache, MemoryStaysWithinItsBoundAndTheNewestPagesStay) {
  const size_t bound = 4u << 20;
  GzipCache cache(bound);
  for (int i = 0; i < 40; ++i) {
    std::string page = Page(100 + i, 500'000);
    ASSERT_NE(cache.Compress(page), nullptr);
    EXPECT_LE(cache.stats().bytes, bound) << "after page " << i;
  }
  EXPECT_LT(cache.stats().entries, 40u);
  cache.Compress(Page(139, 500'000));  // the newest is still there
  EXPECT_EQ(cache.stats().hits, 1u);
}

TEST(ClientCounter, RefusesAnAddressAtItsLimitAndOnlyThatAddress) {
  ClientCounter c(2);
  EXPECT_TRUE(c.Enter("127.0.0.1"));
  EXPECT_TRUE(c.Enter("127.0.0.1"));
  EXPECT_FALSE(c.Enter("127.0.0.1"));
  EXPECT_TRUE(c.Enter("127.0.0.2"));
  c.Leave("127.0.0.1");
  EXPECT_TRUE(c.Enter("127.0.0.1"));
  EXPECT_EQ(c.InProgress("127.0.0.1"), 2u);
  c.Leave("10.9.9.9");  // never entered: no effect, no underflow
  EXPECT_EQ(c.InProgress("10.9.9.9"), 0u);
}

TEST(ElasticPool, StartsAWorkerForEveryBusyOneUpToItsMaximum) {
  ElasticPool pool(1, 6);
  std::mutex mu;
  std::condition_variable cv;
  int running = 0;
  bool release = false;
  std::atomic<int> done{0};
  for (int i = 0; i < 9; ++i) {
    pool.enqueue([&] {
      std::unique_lock lock(mu);
      ++running;
      cv.notify_all();
      cv.wait(lock, [&] { return release; });
      --running;
      ++done;
    });
  }
  {
    std::unique_lock lock(mu);
    // Six tasks block at once: each got its own worker; the other three wait for one.
    ASSERT_TRUE(cv.wait_for(lock, std::chrono::seconds(10), [&] { return running == 6; }));
  }
  EXPECT_EQ(pool.workers(), 6u);
  {
    std::lock_guard lock(mu);
    release = true;
  }
  cv.notify_all();
  pool.shutdown();  // drains the queue first
  EXPECT_EQ(done.load(), 9);
}

}  // namespace
}  // namespace esimgo::net
