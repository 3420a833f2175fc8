#pragma once
// The sandbox's mutable world (organisation, inventory, eSIMs, orders) and the helpers every
// route uses. One mutex serialises all state access; every change is persisted by `Commit`
// in one SQLite transaction before the response is sent.

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "esimgo/sandbox/sandbox.h"
#include "esimgo/types.h"
#include "store.h"

namespace esimgo::sandbox {

struct HistoryRec {
  std::string name;
  std::string bundle;
  int64_t ms = 0;
};

struct AssignmentRec {
  std::string id;
  std::string bundle;
  std::string state;  // processing, queued, active, depleted, expired, revoked, lapsed
  std::string reference;
  int64_t initial = 0;    // bytes (0 for unlimited)
  int64_t remaining = 0;  // bytes
  int64_t used = 0;       // bytes (also counted for unlimited bundles)
  int64_t assigned_ms = 0;
  int64_t activated_ms = 0;
  int64_t ends_ms = 0;
  bool unlimited = false;
  int64_t price_micros = 0;
  int last_alert = 0;  // highest utilisation threshold already reported
};

struct EsimRec {
  std::string iccid;
  int64_t seq = 0;
  std::string customer_ref;
  std::string last_action;
  int64_t action_ms = 0;
  int64_t assigned_ms = 0;
  bool physical = false;
  std::string matching_id;
  std::string smdp;
  std::string pin;
  std::string puk;
  std::string profile_status = "Released";
  std::string profile;  // provider profile: bundles of another profile are incompatible
  int64_t first_installed_ms = 0;
  std::string country;
  std::string network;
  std::string network_code;
  int64_t last_seen_ms = 0;
  std::vector<HistoryRec> history;
  std::vector<AssignmentRec> assignments;
};

struct LotRec {
  int64_t id = 0;
  std::string bundle;
  int64_t total = 0;
  int64_t remaining = 0;
  int64_t created_ms = 0;
  int64_t price_micros = 0;
  std::string order_ref;
};

struct OrderLineRec {
  std::string item;
  int quantity = 0;
  int64_t price_micros = 0;
  bool allow_reassign = false;
  std::vector<std::string> iccids;
};

struct OrderRec {
  std::string reference;
  int64_t seq = 0;
  int64_t created_ms = 0;
  bool assigned = false;
  std::vector<OrderLineRec> lines;
  int64_t total_micros = 0;
  std::string status = "completed";
  std::string status_message;
  std::string source_ip;
};

struct ApplyRec {
  std::string reference;
  int64_t created_ms = 0;
  std::vector<std::pair<std::string, std::string>> esims;  // iccid, bundle
};

struct OrgRec {
  int64_t balance_micros = 0;
  std::string callback_url;
  std::map<std::string, int64_t> topups_by_day;  // "2026-11-26" → micros
  int64_t next_lot = 1001;
  int64_t next_assignment = 215000001;
  int64_t next_seq = 1;
  uint64_t rng = 0;
  int64_t clock_offset_ms = 0;
  bool refunds_enabled = true;
  bool low_balance_alerted = false;
};

// An HTTP answer produced by a route.
struct Reply {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
};

inline constexpr int64_t kInitialBalanceMicros = 10'000'000'000;      // 10,000.00 USD
inline constexpr int64_t kLowBalanceThresholdMicros = 1'000'000'000;  // 1,000.00 USD

class Engine {
 public:
  using AlertSink = std::function<void(std::string body)>;

  static Result<std::unique_ptr<Engine>> Open(const SandboxOptions& options);

  // ---- everything below requires `mu` held ----
  std::mutex mu;
  OrgRec org;
  std::map<std::string, EsimRec> esims;  // by ICCID
  std::map<int64_t, LotRec> lots;        // by usageId
  std::map<std::string, OrderRec> orders;
  std::map<std::string, ApplyRec> applies;

  const SandboxOptions& options() const { return options_; }
  void set_alert_sink(AlertSink sink) { alert_sink_ = std::move(sink); }

  // Sandbox time (real time + the offset set by POST /_sandbox/clock), epoch ms.
  int64_t NowMs() const;
  static std::string Iso(int64_t ms);
  static std::string Date(int64_t ms);

  // Deterministic generators (seeded by --seed; the RNG state is persisted).
  uint64_t NextRandom();
  std::string NewIccid();
  std::string NewUuid();
  std::string NewMatchingId();
  std::string NewDigits(int n);

  // Dirty tracking: mark what a request changed; `Commit` writes it all in one transaction.
  void TouchOrg() { dirty_.emplace_back("org", "org"); }
  void TouchEsim(const std::string& iccid) { dirty_.emplace_back("esim", iccid); }
  void TouchLot(int64_t id) { dirty_.emplace_back("lot", std::to_string(id)); }
  void TouchOrder(const std::string& ref) { dirty_.emplace_back("order", ref); }
  void TouchApply(const std::string& ref) { dirty_.emplace_back("apply", ref); }
  void AddLedger(std::string kind, int64_t amount_micros, std::string ref);
  // Persists the dirty entities and ledger rows. On failure the in-memory state is reloaded
  // from the database (nothing half-applied survives) and the error is returned.
  Result<void> Commit();
  // Drops uncommitted changes by reloading from the database.
  void Rollback();

  // Moves assignments along the time-driven part of the state machine.
  void Tick();
  // Creates an eSIM with the given provider profile.
  EsimRec& CreateEsim(const std::string& profile);
  // Adds an assignment of `bundle` to `esim` (state processing).
  AssignmentRec& Assign(EsimRec& esim, const std::string& bundle, int64_t price_micros,
                        const std::string& reference);
  void AddHistory(EsimRec& esim, std::string name, std::string bundle);

  // Queues an alert (JSON body) for delivery to the callback URL.
  void EmitAlert(std::string body);
  // LowBalance when the balance falls under the threshold (once until it recovers).
  void CheckLowBalance();
  std::string BalanceAlert(std::string_view type) const;

  Result<void> Reset();
  Result<std::vector<LedgerEntry>> Ledger() { return store_->Ledger(); }

 private:
  explicit Engine(SandboxOptions options) : options_(std::move(options)) {}
  Result<void> Load();
  void Seed();

  SandboxOptions options_;
  std::unique_ptr<Store> store_;
  std::vector<std::pair<std::string, std::string>> dirty_;
  std::vector<LedgerEntry> pending_ledger_;
  AlertSink alert_sink_;
  std::vector<std::string> pending_alerts_;
};

// Unlimited bundles report no byte quantities; their assignments carry this many bytes of
// fair-use allowance for the usage simulation only.
std::string Lower(std::string_view s);
bool ContainsIgnoreCase(std::string_view hay, std::string_view needle);

}  // namespace esimgo::sandbox
