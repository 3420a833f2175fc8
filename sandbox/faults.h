#pragma once
// Fault injection: a spec such as
//   "POST /orders=commit-then-drop:1, GET /catalogue=503-2:3, * /esims/*=latency-200"
// (see docs/sandbox.md) parsed into rules that are consumed by matching requests.

#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "esimgo/result.h"

namespace esimgo::sandbox {

enum class FaultKind { k429, k503, k500, kLatency, kDrop, kCommitThenDrop };

struct FaultRule {
  std::string method;  // "GET", … or "*"
  std::string path;    // "/orders", "/esims/*" (glob on the request path after /v2.4), or a
                       // route name's path such as "/esims/{iccid}"
  FaultKind kind = FaultKind::k503;
  int value = 1;       // Retry-After seconds (429/503) or latency milliseconds
  int remaining = -1;  // -1 = every matching request
};

// Parses a spec; an empty spec gives no rules. Errors: kInvalidArgument naming the bad part.
Result<std::vector<FaultRule>> ParseFaultSpec(std::string_view spec);

class Faults {
 public:
  void Set(std::vector<FaultRule> rules);
  // Consumes one use of the first rule matching the request, if any.
  std::optional<FaultRule> Take(std::string_view method, std::string_view path,
                                std::string_view route_name);
  std::vector<FaultRule> Rules();

 private:
  std::mutex mu_;
  std::vector<FaultRule> rules_;
};

std::string FaultKindName(FaultKind k);

}  // namespace esimgo::sandbox
