#pragma once
// An Engine on an in-memory store, driven directly (no HTTP), with the alerts it raises.

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "engine.h"

namespace esimgo::sandbox::testing {

inline constexpr char kBundle[] = "esim_1GB_7D_GB_V2";  // 1.36 USD, 1 GB, 7 days, profile 4.0
inline constexpr int64_t kDaySeconds = 86'400;

class EngineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto e =
        Engine::Open({.api_key = "unit-key", .callback_url = "http://127.0.0.1:9/cb", .seed = 42});
    ASSERT_TRUE(e) << e.error().message;
    engine = std::move(*e);
    engine->set_alert_sink(
        [this](const std::string& url, std::string body) { alerts.emplace_back(url, body); });
  }

  StateSummary State() {
    auto s = engine->Summary();
    EXPECT_TRUE(s) << s.error().message;
    return s ? *s : StateSummary{};
  }
  int64_t Balance() { return State().balance_micros; }

  // Buys `n` of `bundle` into inventory; returns the lot id.
  int64_t Stock(int n, const std::string& bundle = kBundle) {
    auto o = engine->PlaceOrder({.items = {{.item = bundle, .quantity = n}}});
    EXPECT_TRUE(o) << o.error().message;
    auto inv = engine->GetInventory();
    EXPECT_TRUE(inv);
    for (const auto& b : inv->bundles) {
      if (b.name == bundle) return b.available.back().id;
    }
    return 0;
  }
  // A new eSIM with one assigned bundle.
  std::string NewEsim(const std::string& bundle = kBundle) {
    auto o = engine->PlaceOrder({.assign = true, .items = {{.item = bundle}}});
    EXPECT_TRUE(o) << o.error().message;
    return o ? o->order.at(0).iccids.at(0) : std::string();
  }
  void Advance(int64_t seconds) {
    auto r = engine->AdvanceClock(seconds);
    ASSERT_TRUE(r) << r.error().message;
  }
  // The states of `bundle`'s assignments on `iccid`, latest first.
  std::vector<BundleState> States(const std::string& iccid, const std::string& bundle = kBundle) {
    std::vector<BundleState> out;
    auto b = engine->GetBundle(iccid, bundle);
    EXPECT_TRUE(b) << b.error().message;
    if (b) {
      for (const auto& a : b->assignments) out.push_back(a.bundle_state.value);
    }
    return out;
  }

  std::unique_ptr<Engine> engine;
  std::vector<std::pair<std::string, std::string>> alerts;  // url, body
};

}  // namespace esimgo::sandbox::testing
