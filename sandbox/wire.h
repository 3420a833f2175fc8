#pragma once
// Request bodies of the sandbox as wire structs: every key is a std::optional, so an absent key
// is visible as absent (never guessed by searching the raw body). Decoding checks JSON types and
// UTF-8 only; the routes check presence and ranges, the Engine the domain rules.
//
// This file and wire.cc depend on the SDK's JSON reader only (no httplib, no SQLite), so the
// fuzzer (fuzz/sandbox_requests_fuzzer.cc) compiles them directly.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "esimgo/result.h"

namespace esimgo::sandbox::wire {

// POST /orders
struct OrderItem {
  std::optional<std::string> type;  // "bundle"
  std::optional<std::string> item;
  std::optional<int64_t> quantity;
  std::optional<std::vector<std::string>> iccids;
  std::optional<bool> allow_reassign;  // allowReassign or AllowReassign
};
struct OrderBody {
  std::optional<std::string> type;  // "validate" | "transaction" (any case); required
  std::optional<bool> assign;
  std::optional<std::vector<OrderItem>> order;  // order or Order
};

// POST /esims/apply
struct ApplyItem {
  std::optional<std::string> name;
  std::optional<int64_t> repeat;
  std::optional<bool> allow_reassign;
};
struct ApplyBody {
  std::optional<std::string> iccid;
  std::optional<std::string> name;
  std::optional<std::vector<ApplyItem>> bundles;
  std::optional<int64_t> repeat;
  std::optional<bool> allow_reassign;
};

// POST /esims/{iccid}/bundles (legacy apply)
struct LegacyApplyBody {
  std::optional<std::string> name;
  std::optional<std::string> start_time;
  std::optional<int64_t> repeat;
};

// POST /esims/{iccid}/sms
struct SmsBody {
  std::optional<std::string> message;
  std::optional<std::string> from;
};

// POST /inventory/refund
struct RefundBody {
  std::optional<int64_t> usage_id;
  std::optional<int64_t> quantity;
};

// PUT /esims (the body form; the query form is read by the route)
struct UpdateEsimBody {
  std::optional<std::string> iccid;
  std::optional<std::string> customer_ref;
};

// POST /_sandbox/usage, /_sandbox/clock, /_sandbox/callback-url, /_sandbox/faults. Admin bodies
// are strict: a string field must be a JSON string, an integer a JSON integer.
struct UsageBody {
  std::optional<std::string> iccid;
  std::optional<int64_t> bytes;
  std::optional<std::string> country;
};
struct ClockBody {
  std::optional<int64_t> advance_seconds;
};
struct UrlBody {
  std::optional<std::string> url;
};
struct FaultsBody {
  std::optional<std::string> spec;
};

// POST /esims/{iccid}/suspend (v2.5)
struct SuspendBody {
  std::optional<bool> suspend;
};
// POST /_sandbox/esims/{iccid}/policy-suspension {"suspended"} and /_sandbox/consumption
// {"enabled"}: one boolean under a given key (strict, admin).
struct FlagBody {
  std::optional<bool> value;
};

// Each decoder returns kBadRequest naming the field and what was wrong with it. Admin decoders
// read an empty body as {}.
Result<OrderBody> DecodeOrder(std::string_view body);
Result<ApplyBody> DecodeApply(std::string_view body);
Result<LegacyApplyBody> DecodeLegacyApply(std::string_view body);
Result<SmsBody> DecodeSms(std::string_view body);
Result<RefundBody> DecodeRefund(std::string_view body);
Result<UpdateEsimBody> DecodeUpdateEsim(std::string_view body);
Result<UsageBody> DecodeUsage(std::string_view body);
Result<ClockBody> DecodeClock(std::string_view body);
Result<UrlBody> DecodeUrl(std::string_view body);
Result<FaultsBody> DecodeFaults(std::string_view body);
Result<SuspendBody> DecodeSuspend(std::string_view body);
Result<FlagBody> DecodeFlag(std::string_view body, std::string_view key);

// True if `text` is valid UTF-8 (no overlong forms, no surrogates): the check every string that
// enters the sandbox from a query or a path passes before it is stored or echoed.
bool IsUtf8(std::string_view text);

}  // namespace esimgo::sandbox::wire
