#pragma once
// The sandbox's mutable world as plain records: organisation, inventory lots, eSIMs with their
// assignments, orders and apply references. Only the Engine (engine.h) holds and changes them;
// the store persists each record as one JSON row (state_codec.cc), the assignment state by name.

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "esimgo/esims.h"

namespace esimgo::sandbox {

struct HistoryRec {
  std::string name;
  std::string bundle;
  int64_t ms = 0;
};

// The assignment's place in the state machine (docs/sandbox.md):
// processing → queued → active → depleted/expired; queued → lapsed; processing/queued → revoked.
// Persisted by its wire name ("queued", …), never by number.
using AssignmentState = BundleState;

// True for the states in which an assignment has never started: it can be revoked and refunded.
constexpr bool IsUnused(AssignmentState s) {
  return s == BundleState::kProcessing || s == BundleState::kQueued;
}
// True for the states GET /esims/{iccid}/bundles hides unless includeUsed=true.
constexpr bool IsUsedUp(AssignmentState s) {
  return s == BundleState::kDepleted || s == BundleState::kExpired || s == BundleState::kRevoked ||
         s == BundleState::kLapsed;
}

struct AssignmentRec {
  std::string id;
  std::string bundle;
  AssignmentState state = BundleState::kProcessing;
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
  // v2.5 state machine (docs/sandbox.md): "active" ↔ "suspended" (by the partner through the
  // API, or by policy through the admin endpoint); DELETE → "deactivated", irreversibly.
  // Stored by wire name; rows written before v2.5 read as active.
  std::string state = "active";
  bool policy_suspended = false;  // set by /_sandbox/esims/{iccid}/policy-suspension only
  int64_t deactivated_ms = 0;
  // v2.5 inactivity deletion: when `esim.deletion_scheduled` was due (idle since + 180 days);
  // 0 = none pending. Activity after it cancels the notice.
  int64_t deletion_scheduled_ms = 0;
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
  bool consumption = false;  // v2.5: a consumption-billing customer (GET /catalogue/prices)
};

// Everything the Engine guards with its mutex.
struct State {
  OrgRec org;
  std::map<std::string, EsimRec> esims;  // by ICCID
  std::map<int64_t, LotRec> lots;        // by usageId
  std::map<std::string, OrderRec> orders;
  std::map<std::string, ApplyRec> applies;
};

// One stored row: kind ("org", "esim", "lot", "order", "apply"), id and JSON body.
struct EntityRow;

// Record ↔ JSON row body (state_codec.cc). Encoding throws nothing: it returns an error for a
// record that cannot be stored (e.g. a string that is not UTF-8).
Result<std::string> EncodeRecord(const OrgRec& r);
Result<std::string> EncodeRecord(const EsimRec& r);
Result<std::string> EncodeRecord(const LotRec& r);
Result<std::string> EncodeRecord(const OrderRec& r);
Result<std::string> EncodeRecord(const ApplyRec& r);
// Rebuilds the whole state from stored rows; `have_org` tells whether the organisation row was
// there (a fresh database has none and gets seeded).
Result<State> DecodeState(const std::vector<EntityRow>& rows, bool& have_org);

}  // namespace esimgo::sandbox
