#pragma once
// The sandbox's domain layer. The Engine owns the whole mutable world (domain.h) behind one
// private mutex and offers typed commands and queries; routes only decode, call and encode.
//
// Every command runs inside `Transact`: lock → apply time-driven changes (Tick) → mutate →
// commit the changed records and ledger rows in ONE SQLite transaction → raise the alerts the
// command queued. A command that fails, and a commit that fails, roll the engine back to the last
// committed state, so nothing of a refused request stays visible. Queries run inside `Read`:
// they only observe, except that they first persist the time-driven transitions that are due
// (so the "Bundle Expired" event a read shows keeps its timestamp across reads and restarts).

#include <algorithm>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "domain.h"
#include "esimgo/catalogue.h"
#include "esimgo/esims.h"
#include "esimgo/inventory.h"
#include "esimgo/limits.h"
#include "esimgo/orders.h"
#include "esimgo/organisation.h"
#include "esimgo/sandbox/sandbox.h"
#include "esimgo/types.h"
#include "esimgo/webhook.h"
#include "model/esims_codec.h"
#include "model/orders_codec.h"
#include "store.h"

namespace esimgo::sandbox {

inline constexpr int64_t kInitialBalanceMicros = 10'000'000'000;      // 10,000.00 USD
inline constexpr int64_t kLowBalanceThresholdMicros = 1'000'000'000;  // 1,000.00 USD
// A queued (never started) assignment lapses after the inventory lot lifetime.
inline constexpr int64_t kLapseMs = limits::kInventoryLotLifetimeDays * limits::kDayMs;

// ---- Commands: decoded and range-checked at the edge; the Engine enforces the rules --------

struct OrderItemCmd {
  std::string item;
  int quantity = 1;
  std::vector<std::string> iccids;  // only with assign; count == quantity
  bool allow_reassign = false;
};
struct OrderCmd {
  bool assign = false;
  std::vector<OrderItemCmd> items;
  std::string source_ip;
};

struct ApplyItemCmd {
  std::string name;
  int repeat = 1;
  bool allow_reassign = false;
};
struct ApplyCmd {
  std::optional<std::string> iccid;  // absent: new eSIMs
  std::vector<ApplyItemCmd> items;
};

struct RevokeCmd {
  std::string iccid;
  std::string bundle;
  std::optional<std::string> assignment_id;  // absent: the oldest unused assignment
  bool dry_run = false;                      // type=validate
  bool to_balance = false;                   // else back to inventory
};

struct UsageCmd {
  std::string iccid;
  int64_t bytes = 0;
  std::string country;  // ISO code; empty = no network attach
};
struct UsageResult {
  std::string iccid;
  int64_t consumed = 0;
  int64_t unconsumed = 0;
};

struct ClockResult {
  int64_t now_ms = 0;
  int64_t offset_seconds = 0;
};

// ---- Queries ------------------------------------------------------------------------------

struct OrderListQuery {
  int64_t page = 1;  // 1 ≤ page ≤ limits::kMaxPageNumber
  int64_t limit = 10;
  bool include_iccids = false;
  std::optional<int64_t> from_ms, to_ms;
};

struct EsimListQuery {
  int64_t page = 1;  // 1 ≤ page ≤ limits::kMaxPageNumber
  int64_t per_page = 25;
  bool descending = false;
  bool order_by_iccid = false;
  std::string filter_by;  // one of limits::kEsimFilterFields, or empty
  std::string filter;
};

struct LedgerLine {
  std::string kind;
  int64_t amount_micros = 0;
  std::string ref;
  int64_t at_ms = 0;
};
struct StateSummary {
  int64_t balance_micros = 0;
  int64_t ledger_sum_micros = 0;
  std::vector<LedgerLine> ledger;
  int64_t esims = 0;
  int64_t assignments = 0;
  std::map<std::string, int64_t> assignment_states;  // by state name
  int64_t inventory_bundles = 0;
  int64_t orders = 0;
  int64_t applies = 0;
  int64_t now_ms = 0;
  std::string callback_url;
};

class Engine {
 public:
  // Receives each alert after its command committed, in commit order: the callback URL it is
  // for (empty = none configured) and the encoded body.
  using AlertSink = std::function<void(const std::string& url, std::string body)>;

  // Opens (or seeds) the store of `options.db_path`.
  static Result<std::unique_ptr<Engine>> Open(const SandboxOptions& options);

  const SandboxOptions& options() const { return options_; }
  // Set before serving; called with the engine's lock held (so alerts keep commit order): the
  // sink must not call back into the Engine.
  void set_alert_sink(AlertSink sink) { alert_sink_ = std::move(sink); }

  // Errors of every command/query: kBadRequest (400: the request breaks a rule), kForbidden
  // (403: unknown eSIM/order, no inventory, refunds disabled), kServer (500: the store failed;
  // the engine is back at its last committed state).

  // ---- organisation and orders (engine_orders.cc) ----
  Result<Organisation> GetOrganisation();
  Result<TopUpResult> TopUp(Money amount);
  Result<OrderValidation> ValidateOrder(const OrderCmd& cmd);
  // Charges the balance. On insufficient balance raises InsufficientBalance and charges nothing.
  Result<Order> PlaceOrder(const OrderCmd& cmd);
  Result<OrderListBody> ListOrders(const OrderListQuery& q);
  Result<Order> GetOrder(const std::string& reference);
  Result<Inventory> GetInventory();
  Result<StatusMessage> Refund(int64_t usage_id, int64_t quantity);

  // ---- eSIMs (engine_esims.cc, engine_bundles.cc) ----
  Result<ApplyBundleResponse> Apply(const ApplyCmd& cmd);
  Result<StatusMessage> Revoke(const RevokeCmd& cmd);
  Result<void> UpdateCustomerRef(const std::string& iccid, const std::string& customer_ref);
  Result<void> Refresh(const std::string& iccid);
  // `message` must be 1–160 characters of UTF-8 (limits.h).
  Result<void> SendSms(const std::string& iccid, const std::string& message);
  Result<std::vector<EsimInstall>> InstallDetails(const std::vector<std::string>& references,
                                                  bool apple_url);
  Result<HistoryBody> History(const std::string& iccid);
  Result<CompatibilityBody> Compatible(const std::string& iccid, const std::string& bundle);
  Result<BundlesListBody> ListBundles(const std::string& iccid, bool include_used, int64_t limit);
  Result<AssignmentListBody> GetBundle(const std::string& iccid, const std::string& bundle);
  Result<EsimLocation> Location(const std::string& iccid);
  Result<EsimDetails> GetEsim(const std::string& iccid, bool apple_url);
  Result<EsimListBody> ListEsims(const EsimListQuery& q);

  // ---- v2.5 (engine_v25.cc): the eSIM state machine and consumption prices ----
  // POST /esims/{iccid}/suspend. kBadRequest: already in the asked state (◐), deactivated;
  // kForbidden: unknown eSIM, or lifting a policy suspension (◐ the API cannot).
  Result<StatusMessage> Suspend(const std::string& iccid, bool suspend);
  Result<SuspensionStatus> Suspension(const std::string& iccid);  // GET …/suspend (◐ shape)
  // DELETE /esims/{iccid}: state deactivated, irreversibly. kBadRequest when already deleted.
  Result<StatusMessage> DeleteEsim(const std::string& iccid);
  // Admin: eSIM Go's policy suspension, which only this endpoint sets and lifts.
  Result<void> SetPolicySuspension(const std::string& iccid, bool suspended);
  // Admin: makes the organisation a consumption-billing customer (or not).
  Result<void> SetConsumption(bool enabled);
  // GET /catalogue/prices: kForbidden unless the organisation is a consumption customer.
  Result<CataloguePrices> Prices();

  // ---- admin (engine_admin.cc) ----
  Result<UsageResult> SimulateUsage(const UsageCmd& cmd);
  // 0 ≤ seconds ≤ kMaxClockAdvanceSeconds per call; the total offset is capped too.
  Result<ClockResult> AdvanceClock(int64_t seconds);
  Result<void> Reset();
  Result<std::string> SetCallbackUrl(const std::string& url);
  Result<StateSummary> Summary();

  // Test hook: the next `n` store commits fail, as a full disk would.
  void InjectCommitFailures(int n);

  // Sandbox time (real time + the offset set by AdvanceClock), epoch ms. Locks.
  int64_t Now();
  static std::string Iso(int64_t ms);
  static std::string Date(int64_t ms);

  // The largest clock advance per call and in total (100 years): far past every rule's
  // horizon, far from int64 overflow.
  static constexpr int64_t kMaxClockAdvanceSeconds = 100LL * 366 * 86'400;

 private:
  explicit Engine(SandboxOptions options) : options_(std::move(options)) {}

  // Runs `f() -> Result<T>` as one transaction (see the file comment). Every command locks
  // here, except Reset, which replaces the whole store and locks for itself.
  template <class F>
  std::invoke_result_t<F> Transact(F&& f);
  // Runs `f() -> Result<T>` as a query: persists due time-driven changes first.
  template <class F>
  std::invoke_result_t<F> Read(F&& f);

  // ---- everything below runs with mu_ held ----
  Result<void> CommitLocked();
  void RollbackLocked();
  Result<void> LoadLocked();
  void SeedLocked();
  Result<void> Materialise();  // Tick, and commit it when anything moved
  bool Tick();                 // true if any record changed
  // v2.5 inactivity deletion of one eSIM, part of Tick (engine_v25.cc): lowers `next` to the
  // time it must look again; true if the eSIM changed.
  bool TickDeletion(EsimRec& esim, int64_t now, int64_t& next);
  // Tick scans every assignment only once the earliest pending transition is due: commands that
  // create one (Assign, a first use) schedule it here; a reload forces a full scan.
  void ScheduleTick(int64_t at_ms) { next_tick_ms_ = std::min(next_tick_ms_, at_ms); }
  void DeliverAlerts(std::vector<std::string>& alerts);
  Result<void> Guard() const;  // fails while the state could not be restored

  int64_t NowMs() const;
  uint64_t NextRandom();
  std::string NewIccid();
  std::string NewUuid();
  std::string NewMatchingId();
  std::string NewDigits(int n);

  void TouchOrg() { dirty_.emplace_back("org", "org"); }
  void TouchEsim(const std::string& iccid) { dirty_.emplace_back("esim", iccid); }
  void TouchLot(int64_t id) { dirty_.emplace_back("lot", std::to_string(id)); }
  void TouchOrder(const std::string& ref) { dirty_.emplace_back("order", ref); }
  void TouchApply(const std::string& ref) { dirty_.emplace_back("apply", ref); }
  void AddLedger(std::string kind, int64_t amount_micros, std::string ref);

  // kBadRequest naming the eSIM when it is deactivated (v2.5: apply, refresh, SMS answer 400).
  static Result<void> RequireNotDeactivated(const EsimRec& esim);
  Result<EsimRec*> FindEsim(const std::string& iccid);
  Result<const EsimRec*> FindEsim(const std::string& iccid) const;
  EsimRec& CreateEsim(const std::string& profile);
  AssignmentRec& Assign(EsimRec& esim, const std::string& bundle, int64_t price_micros,
                        const std::string& reference);
  void AddHistory(EsimRec& esim, std::string name, std::string bundle);
  bool LotUsable(const LotRec& lot, const std::string& bundle) const;
  // Checks everything, then sets `reference` and applies.
  Result<std::vector<AppliedEsim>> ApplyLocked(const ApplyCmd& cmd, std::string& reference);
  Result<std::vector<OrderLineRec>> PriceOrder(const OrderCmd& cmd, int64_t& total) const;
  Order ToModel(const OrderRec& rec, bool include_iccids) const;

  // Alerts: queued during a command, raised after its commit. `RaiseOnRefusal` is for the one
  // alert that reports a refused command (InsufficientBalance): raised after the rollback.
  void RaiseAlert(const webhook::Alert& alert);
  void RaiseOnRefusal(const webhook::Alert& alert);
  webhook::Alert BalanceAlert(webhook::AlertType type) const;
  webhook::Alert UsageAlert(const EsimRec& esim, const AssignmentRec& a,
                            webhook::AlertType type) const;
  void CheckLowBalance();

  SandboxOptions options_;
  std::mutex mu_;
  State state_;  // guarded by mu_
  std::unique_ptr<Store> store_;
  std::vector<std::pair<std::string, std::string>> dirty_;
  std::vector<LedgerEntry> pending_ledger_;
  std::vector<std::string> pending_alerts_;
  std::vector<std::string> refusal_alerts_;
  bool broken_ = false;       // a rollback could not reload the store
  int64_t next_tick_ms_ = 0;  // sandbox time of the earliest pending transition; 0 = scan now
  AlertSink alert_sink_;
};

// ---- template definitions ------------------------------------------------------------------

template <class F>
std::invoke_result_t<F> Engine::Transact(F&& f) {
  std::lock_guard lock(mu_);
  if (auto g = Guard(); !g) return tl::unexpected(g.error());
  (void)Tick();
  std::invoke_result_t<F> result = tl::unexpected(Error{});
  try {
    result = f();
  } catch (const std::exception& e) {
    result = Fail(ErrorCode::kServer, std::string("internal sandbox error: ") + e.what());
  }
  if (!result) {
    auto refusal = std::move(refusal_alerts_);
    RollbackLocked();
    DeliverAlerts(refusal);
    return result;
  }
  if (auto c = CommitLocked(); !c) {
    RollbackLocked();
    return tl::unexpected(c.error());
  }
  auto alerts = std::move(pending_alerts_);
  pending_alerts_.clear();
  refusal_alerts_.clear();
  DeliverAlerts(alerts);
  return result;
}

template <class F>
std::invoke_result_t<F> Engine::Read(F&& f) {
  std::lock_guard lock(mu_);
  if (auto g = Guard(); !g) return tl::unexpected(g.error());
  if (auto m = Materialise(); !m) return tl::unexpected(m.error());
  try {
    return f();
  } catch (const std::exception& e) {
    return Fail(ErrorCode::kServer, std::string("internal sandbox error: ") + e.what());
  }
}

// v2.5 (engine_v25.cc): the hash of GET /catalogue/prices: SHA-256 (hex) of the encoded
// `prices` array (◐). ProfileName is in static_data.h.
std::string PricesHash(const std::vector<CountryPrices>& prices);

std::string Lower(std::string_view s);
bool ContainsIgnoreCase(std::string_view hay, std::string_view needle);

}  // namespace esimgo::sandbox
