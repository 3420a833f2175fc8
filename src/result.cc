#include "esimgo/result.h"

#include "esimgo/transport.h"
#include "esimgo/types.h"

namespace esimgo {

std::string_view ErrorCodeName(ErrorCode code) noexcept {
  switch (code) {
    case ErrorCode::kInvalidArgument:
      return "invalid_argument";
    case ErrorCode::kBadRequest:
      return "bad_request";
    case ErrorCode::kUnauthorized:
      return "unauthorized";
    case ErrorCode::kForbidden:
      return "forbidden";
    case ErrorCode::kNotFound:
      return "not_found";
    case ErrorCode::kRateLimited:
      return "rate_limited";
    case ErrorCode::kUnavailable:
      return "unavailable";
    case ErrorCode::kServer:
      return "server_error";
    case ErrorCode::kUnexpectedStatus:
      return "unexpected_status";
    case ErrorCode::kDecode:
      return "decode_error";
    case ErrorCode::kTransport:
      return "transport_error";
    case ErrorCode::kTimeout:
      return "timeout";
    case ErrorCode::kAmbiguous:
      return "ambiguous";
    case ErrorCode::kSignatureMismatch:
      return "signature_mismatch";
  }
  return "unknown";
}

std::string_view ErrorReasonName(ErrorReason reason) noexcept {
  switch (reason) {
    case ErrorReason::kUnspecified:
      return "unspecified";
    case ErrorReason::kInvalidKey:
      return "invalid_key";
    case ErrorReason::kNotFound:
      return "not_found";
    case ErrorReason::kNoInventory:
      return "no_inventory";
    case ErrorReason::kInsufficientBalance:
      return "insufficient_balance";
    case ErrorReason::kRefundNotAllowed:
      return "refund_not_allowed";
    case ErrorReason::kDeactivated:
      return "deactivated";
  }
  return "unknown";
}

std::string Error::ToString() const {
  std::string s;
  if (!operation.empty()) s += operation + ": ";
  s += ErrorCodeName(code);
  if (reason != ErrorReason::kUnspecified) {
    s += '/';  // appended piecewise: g++ 12 -O3 flags `"/" + string` with a false -Wrestrict
    s += ErrorReasonName(reason);
  }
  if (http_status != 0) s += " (HTTP " + std::to_string(http_status) + ")";
  if (!message.empty()) s += ": " + message;
  if (retry_after) s += " [retry after " + std::to_string(retry_after->count()) + " s]";
  return s;
}

// The one status table (architecture: "status mapping in one table").
ErrorCode ErrorCodeForStatus(int http_status) noexcept {
  switch (http_status) {
    case 400:
      return ErrorCode::kBadRequest;
    case 401:
      return ErrorCode::kUnauthorized;  // only POST /orders uses 401 for a bad key
    case 403:
      return ErrorCode::kForbidden;  // bad key, no bundles left, ICCID not yours
    case 404:
      return ErrorCode::kNotFound;  // undocumented in v2.4; mapped defensively
    case 408:
      return ErrorCode::kTimeout;
    case 410:
      return ErrorCode::kNotFound;  // v2.5: a deactivated (deleted) eSIM's install details/QR
    case 429:
      return ErrorCode::kRateLimited;
    case 503:
      return ErrorCode::kUnavailable;  // "Processing, come back later", not an outage
    default:
      break;
  }
  if (http_status >= 500 && http_status <= 599) return ErrorCode::kServer;
  return ErrorCode::kUnexpectedStatus;
}

namespace {

// Lower-case ASCII containment; the server's capitalisation varies ("Unauthorised" vs
// "unauthorized: …").
bool ContainsFolded(std::string_view haystack, std::string_view needle) noexcept {
  if (needle.size() > haystack.size()) return false;
  for (size_t i = 0; i + needle.size() <= haystack.size(); ++i) {
    size_t j = 0;
    while (j < needle.size()) {
      char c = haystack[i + j];
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
      if (c != needle[j]) break;
      ++j;
    }
    if (j == needle.size()) return true;
  }
  return false;
}

struct ReasonPhrase {
  std::string_view phrase;  // lower case
  ErrorReason reason;
};

// The one phrase table. Order matters: the first match wins, so the key check comes first
// (a bad key must never look like "not found"). Phrases are what the live API and the sandbox
// say (reference §7, Appendix B); the sandbox's messages are written to contain them.
constexpr ReasonPhrase kReasonPhrases[] = {
    {"unauthori", ErrorReason::kInvalidKey},  // "Unauthorised" (403), "Unauthorized" (401)
    {"api key", ErrorReason::kInvalidKey},
    // v2.5: 400 on apply/refresh/SMS for a deleted eSIM. Before the not-found phrases: a
    // deactivated eSIM exists, and "not found" would send the user looking for a typo.
    {"deactivated", ErrorReason::kDeactivated},
    {"no available bundles", ErrorReason::kNoInventory},  // 403 on apply
    {"no bundles left", ErrorReason::kNoInventory},
    {"insufficient balance", ErrorReason::kInsufficientBalance},  // POST /orders
    {"not enough balance", ErrorReason::kInsufficientBalance},
    {"refund", ErrorReason::kRefundNotAllowed},  // refund/revoke refused
    {"not found", ErrorReason::kNotFound},
    {"not accessible", ErrorReason::kNotFound},  // the spec's words for a foreign ICCID
    {"does not exist", ErrorReason::kNotFound},
    {"not yours", ErrorReason::kNotFound},
    {"not belong", ErrorReason::kNotFound},
    {"not on this account", ErrorReason::kNotFound},
    {"not in this", ErrorReason::kNotFound},
    {"not in the", ErrorReason::kNotFound},
    {"unknown", ErrorReason::kNotFound},
};

}  // namespace

ErrorReason ErrorReasonFor(int http_status, std::string_view message) noexcept {
  if (http_status == 401) return ErrorReason::kInvalidKey;  // only POST /orders, only the key
  if (http_status == 404) return ErrorReason::kNotFound;
  if (http_status == 410) return ErrorReason::kDeactivated;  // v2.5 uses 410 for nothing else
  if (http_status != 400 && http_status != 403) return ErrorReason::kUnspecified;
  for (const auto& [phrase, reason] : kReasonPhrases) {
    if (!ContainsFolded(message, phrase)) continue;
    // A 400 is about the request, so only the money, refund and deactivated causes carry over
    // to it: an "unknown field" in a 400 is a bad request, not a missing object.
    if (http_status == 400 && reason != ErrorReason::kInsufficientBalance &&
        reason != ErrorReason::kRefundNotAllowed && reason != ErrorReason::kDeactivated) {
      return ErrorReason::kUnspecified;
    }
    return reason;
  }
  return ErrorReason::kUnspecified;
}

std::string_view FindHeader(const Headers& headers, std::string_view name) noexcept {
  for (const auto& [k, v] : headers) {
    if (EqualsIgnoreCase(k, name)) return v;
  }
  return {};
}

}  // namespace esimgo
