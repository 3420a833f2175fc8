// The client-side token bucket (src/retry/rate_limiter.cc) and its wiring into the client.

#include "retry/rate_limiter.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "client_core.h"
#include "testing/fake_transport.h"

namespace esimgo {
namespace {

using internal::Call;
using internal::ClientCore;
using internal::Op;
using internal::RateLimiter;
using std::chrono::milliseconds;
using std::chrono::nanoseconds;
using std::chrono::seconds;
using testing::FakeClient;
using testing::FakeClock;

nanoseconds Elapsed(FakeClock& clock) {
  return clock.Now() - std::chrono::steady_clock::time_point{};
}

// Time stands still; every Sleep is only recorded. With it, the wait each concurrent caller
// reserved is visible independently of how the threads interleave.
class FrozenClock final : public Clock {
 public:
  std::chrono::steady_clock::time_point Now() override { return {}; }
  std::chrono::system_clock::time_point WallNow() override { return {}; }
  void Sleep(nanoseconds d) override {
    std::lock_guard<std::mutex> l(mu_);
    sleeps_.push_back(d);
  }
  std::vector<nanoseconds> sleeps() {
    std::lock_guard<std::mutex> l(mu_);
    return sleeps_;
  }

 private:
  std::mutex mu_;
  std::vector<nanoseconds> sleeps_;
};

TEST(RateLimiter, TenPerSecondSpreadsThirtyCallsOverTwoSeconds) {
  FakeClock clock;
  RateLimiter limiter(10.0, &clock);
  for (int i = 0; i < 10; ++i) limiter.Acquire();
  EXPECT_EQ(Elapsed(clock), nanoseconds(0)) << "a full bucket allows a burst of 10";
  for (int i = 0; i < 20; ++i) limiter.Acquire();
  EXPECT_NEAR(std::chrono::duration<double>(Elapsed(clock)).count(), 2.0, 1e-6);
  auto sleeps = clock.sleeps();
  ASSERT_EQ(sleeps.size(), 20u);
  for (auto s : sleeps) EXPECT_NEAR(std::chrono::duration<double>(s).count(), 0.1, 1e-6);
}

TEST(RateLimiter, TheClientDefaultIsTenPerSecond) {
  FakeClient fake;
  ClientOptions o = fake.Options();
  o.requests_per_second = ClientOptions{}.requests_per_second;
  ASSERT_EQ(o.requests_per_second, 10.0);
  ClientCore core(std::move(o));
  for (int i = 0; i < 30; ++i) {
    ASSERT_TRUE(core.Execute(Call{.op = Op::kCatalogueList, .target = "/catalogue"}, {}));
  }
  EXPECT_EQ(fake.transport->count(), 30u);
  EXPECT_NEAR(std::chrono::duration<double>(Elapsed(*fake.clock)).count(), 2.0, 1e-6);
}

TEST(RateLimiter, IsSharedByAllThreads) {
  FrozenClock clock;
  RateLimiter limiter(10.0, &clock);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 10; ++i) limiter.Acquire();
    });
  }
  for (auto& t : threads) t.join();
  // 40 tokens from one bucket of 10: calls 11..40 wait 0.1 s, 0.2 s, … 3.0 s — each its own
  // share, whichever thread made it.
  auto sleeps = clock.sleeps();
  ASSERT_EQ(sleeps.size(), 30u);
  std::sort(sleeps.begin(), sleeps.end());
  for (size_t i = 0; i < sleeps.size(); ++i) {
    EXPECT_NEAR(std::chrono::duration<double>(sleeps[i]).count(), 0.1 * static_cast<double>(i + 1),
                1e-6);
  }
}

TEST(RateLimiter, ZeroOrNegativeRateDisablesIt) {
  for (double rate : {0.0, -1.0}) {
    FakeClock clock;
    RateLimiter limiter(rate, &clock);
    for (int i = 0; i < 1000; ++i) limiter.Acquire();
    EXPECT_TRUE(clock.sleeps().empty()) << rate;
  }
}

TEST(RateLimiter, IdleTimeRefillsTheBucketOnlyUpToOneSecondOfBurst) {
  FakeClock clock;
  RateLimiter limiter(10.0, &clock);
  for (int i = 0; i < 10; ++i) limiter.Acquire();
  clock.Sleep(seconds(100));
  const auto before = Elapsed(clock);
  for (int i = 0; i < 15; ++i) limiter.Acquire();
  EXPECT_NEAR(std::chrono::duration<double>(Elapsed(clock) - before).count(), 0.5, 1e-6);
}

TEST(RateLimiter, SlowRatesStillAllowOneCallAtOnce) {
  FakeClock clock;
  RateLimiter limiter(0.5, &clock);
  limiter.Acquire();
  EXPECT_TRUE(clock.sleeps().empty());
  limiter.Acquire();
  ASSERT_EQ(clock.sleeps().size(), 1u);
  EXPECT_NEAR(std::chrono::duration<double>(clock.sleeps()[0]).count(), 2.0, 1e-6);
}

TEST(RateLimiter, PauseUntilHoldsBackEveryCallerEvenWithTokensLeft) {
  FakeClock clock;
  RateLimiter limiter(10.0, &clock);
  limiter.PauseUntil(clock.Now() + seconds(3));
  limiter.PauseUntil(clock.Now() + seconds(1));  // a shorter pause does not shorten it
  limiter.Acquire();
  ASSERT_EQ(clock.sleeps().size(), 1u);
  EXPECT_EQ(clock.sleeps()[0], seconds(3));
  limiter.Acquire();  // the pause is over and tokens remain
  EXPECT_EQ(clock.sleeps().size(), 1u);
}

TEST(RateLimiter, A429WithRetryAfterPausesTheNextCallOfTheClient) {
  FakeClient fake;
  ClientOptions o = fake.Options();
  o.requests_per_second = 10;
  ClientCore core(std::move(o));
  fake.transport->Push(testing::FakeReply{.status = 429,
                                          .body = R"({"message":"Rate limit exceeded"})",
                                          .headers = {{"Retry-After", "2"}}});
  fake.transport->PushJson("{}");
  // A money-moving call is not retried, but the server's "wait 2 s" still applies to the client.
  auto first = core.Execute(Call{.op = Op::kOrdersCreate, .target = "/orders"}, {});
  ASSERT_FALSE(first);
  EXPECT_TRUE(fake.clock->sleeps().empty());
  auto second = core.Execute(Call{.op = Op::kCatalogueList, .target = "/catalogue"}, {});
  ASSERT_TRUE(second) << second.error().ToString();
  ASSERT_EQ(fake.clock->sleeps().size(), 1u);
  EXPECT_EQ(fake.clock->sleeps()[0], seconds(2));
}

TEST(RateLimiter, ARetriedRead429WaitsRetryAfterOnceNotTwice) {
  FakeClient fake;
  ClientOptions o = fake.Options();
  o.requests_per_second = 10;
  ClientCore core(std::move(o));
  fake.transport->Push(testing::FakeReply{.status = 429, .headers = {{"Retry-After", "2"}}});
  fake.transport->PushJson("{}");
  ASSERT_TRUE(core.Execute(Call{.op = Op::kCatalogueList, .target = "/catalogue"}, {}));
  EXPECT_EQ(fake.transport->count(), 2u);
  EXPECT_EQ(Elapsed(*fake.clock), seconds(2));
}

}  // namespace
}  // namespace esimgo
