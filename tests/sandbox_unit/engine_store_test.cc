// The engine's state survives a restart, and the assignment state is stored by name.

#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "engine.h"
#include "store.h"

namespace esimgo::sandbox {
namespace {

class EngineStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = (std::filesystem::temp_directory_path() /
             ("esimgo-engine-" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) +
              "-" + ::testing::UnitTest::GetInstance()->current_test_info()->name() + ".db"))
                .string();
    Remove();
  }
  void TearDown() override { Remove(); }
  void Remove() {
    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path_ + suffix);
  }
  std::unique_ptr<Engine> Open() {
    auto e = Engine::Open({.db_path = path_, .api_key = "k", .seed = 7});
    EXPECT_TRUE(e) << e.error().message;
    return e ? std::move(*e) : nullptr;
  }
  std::string path_;
};

TEST_F(EngineStoreTest, AssignmentStatesAreStoredByNameAndSurviveARestart) {
  std::string iccid;
  int64_t balance = 0;
  {
    auto engine = Open();
    ASSERT_NE(engine, nullptr);
    auto o = engine->PlaceOrder({.assign = true, .items = {{.item = "esim_1GB_7D_GB_V2"}}});
    ASSERT_TRUE(o) << o.error().message;
    iccid = o->order.at(0).iccids.at(0);
    ASSERT_TRUE(engine->Revoke({.iccid = iccid, .bundle = "esim_1GB_7D_GB_V2"}));
    balance = engine->Summary()->balance_micros;
  }
  {
    auto store = Store::Open(path_);
    ASSERT_TRUE(store);
    auto rows = (*store)->LoadAll();
    ASSERT_TRUE(rows);
    bool found = false;
    for (const auto& row : *rows) {
      if (row.kind == "esim" && row.id == iccid) {
        found = true;
        EXPECT_NE(row.body.find(R"("state":"revoked")"), std::string::npos) << row.body;
      }
    }
    EXPECT_TRUE(found);
  }
  auto engine = Open();
  ASSERT_NE(engine, nullptr);
  auto b = engine->GetBundle(iccid, "esim_1GB_7D_GB_V2");
  ASSERT_TRUE(b) << b.error().message;
  EXPECT_EQ(b->assignments.at(0).bundle_state.value, BundleState::kRevoked);
  EXPECT_EQ(engine->Summary()->balance_micros, balance);
  EXPECT_TRUE(engine->Summary()->ledger_sum_micros == balance);
}

}  // namespace
}  // namespace esimgo::sandbox
