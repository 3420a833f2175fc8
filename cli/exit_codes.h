#pragma once
/// @file exit_codes.h
/// The esimgo CLI's exit codes: one table, documented in docs/cli.md.

#include <string_view>

#include "esimgo/result.h"

namespace esimgo::cli {

/// Process exit codes of `esimgo`. Stable: scripts depend on them.
enum ExitCode : int {
  kExitOk = 0,                ///< Success.
  kExitFailure = 1,           ///< Anything not covered below (should not happen).
  kExitUsage = 2,             ///< Bad command line, or a confirmation was needed but refused.
  kExitInvalidArgument = 3,   ///< Input rejected (locally or with HTTP 400).
  kExitAuth = 4,              ///< Missing or invalid API key (HTTP 401/403).
  kExitNotFound = 5,          ///< The ICCID, bundle, order or lot does not exist or is not yours.
  kExitUnavailable = 6,       ///< Rate limited (429) or "processing, come back later" (503).
  kExitServer = 7,            ///< Server error (5xx), unexpected status or undecodable answer.
  kExitNetwork = 8,           ///< Connection, TLS, DNS, timeout, or an order in doubt.
  kExitSignatureMismatch = 9  ///< A callback signature did not verify.
};

/// True if a 403 message says the object is missing or not accessible rather than the key
/// being wrong (v2.4 has no 404: "ICCID not found", "not accessible", "no available bundles").
inline bool LooksLikeNotFound(std::string_view message) {
  auto contains = [&](std::string_view needle) {
    if (needle.size() > message.size()) return false;
    for (std::size_t i = 0; i + needle.size() <= message.size(); ++i) {
      bool eq = true;
      for (std::size_t j = 0; j < needle.size() && eq; ++j) {
        char a = message[i + j];
        if (a >= 'A' && a <= 'Z') a = static_cast<char>(a - 'A' + 'a');
        eq = a == needle[j];
      }
      if (eq) return true;
    }
    return false;
  };
  // The SDK appends a generic "(403: check the API key; or …)" to every 403, so only the
  // server's own "Unauthorised" decides that the key is wrong.
  if (contains("unauthori")) return false;
  return contains("not found") || contains("not in the") || contains("not in this") ||
         contains("not an order") || contains("not accessible") || contains("does not exist") ||
         contains("unknown") || contains("no available") || contains("not yours") ||
         contains("not belong");
}

/// Maps an SDK error to the CLI exit code (the table in docs/cli.md).
inline int ExitCodeFor(const Error& error) {
  switch (error.code) {
    case ErrorCode::kInvalidArgument:
    case ErrorCode::kBadRequest:
      return kExitInvalidArgument;
    case ErrorCode::kUnauthorized:
      return kExitAuth;
    case ErrorCode::kForbidden:
      return LooksLikeNotFound(error.message) ? kExitNotFound : kExitAuth;
    case ErrorCode::kNotFound:
      return kExitNotFound;
    case ErrorCode::kRateLimited:
    case ErrorCode::kUnavailable:
      return kExitUnavailable;
    case ErrorCode::kServer:
    case ErrorCode::kUnexpectedStatus:
    case ErrorCode::kDecode:
      return kExitServer;
    case ErrorCode::kTransport:
    case ErrorCode::kTimeout:
    case ErrorCode::kAmbiguous:
      return kExitNetwork;
    case ErrorCode::kSignatureMismatch:
      return kExitSignatureMismatch;
  }
  return kExitFailure;
}

}  // namespace esimgo::cli
