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

std::string Error::ToString() const {
  std::string s;
  if (!operation.empty()) s += operation + ": ";
  s += ErrorCodeName(code);
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

std::string_view FindHeader(const Headers& headers, std::string_view name) noexcept {
  for (const auto& [k, v] : headers) {
    if (EqualsIgnoreCase(k, name)) return v;
  }
  return {};
}

}  // namespace esimgo
