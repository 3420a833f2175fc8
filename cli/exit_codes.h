#pragma once
/// @file exit_codes.h
/// The esimgo CLI's exit codes: one table, documented in docs/cli.md.

#include "esimgo/result.h"

namespace esimgo::cli {

/// Process exit codes of `esimgo`. Stable: scripts depend on them.
enum ExitCode : int {
  kExitOk = 0,                 ///< Success.
  kExitFailure = 1,            ///< Cancelled at the prompt, or anything not covered below.
  kExitUsage = 2,              ///< Bad command line, or a confirmation was needed but refused.
  kExitInvalidArgument = 3,    ///< Input rejected (locally or with HTTP 400), or not allowed now.
  kExitAuth = 4,               ///< Missing or invalid API key (HTTP 401/403).
  kExitNotFound = 5,           ///< The ICCID, bundle, order or lot does not exist or is not yours.
  kExitUnavailable = 6,        ///< Rate limited (429) or "processing, come back later" (503).
  kExitServer = 7,             ///< Server error (5xx), unexpected status or undecodable answer.
  kExitNetwork = 8,            ///< Connection, TLS, DNS, timeout, or an order in doubt.
  kExitSignatureMismatch = 9,  ///< A callback signature did not verify.
  /// `contract check|replay`: an answer differs from the SDK's contract (drift), no errors.
  kExitContractDrift = 10,
  /// `contract check|replay`: an operation failed or could not be checked (errors outrank drift).
  kExitContractError = 11
};

/// Maps an SDK error to the CLI exit code (the table in docs/cli.md). Decides on the code and
/// on `Error::reason`, the SDK's one classification of an overloaded status — never on the
/// message text, whose wording belongs to the server.
[[nodiscard]] constexpr int ExitCodeFor(const Error& error) noexcept {
  switch (error.reason) {
    case ErrorReason::kInvalidKey:
      return kExitAuth;
    case ErrorReason::kNotFound:
    case ErrorReason::kNoInventory:
    // Deleted or expired for good (410 Gone, or a 400 that says so): the eSIM no longer exists
    // for any purpose, so a script treats it like a missing one.
    case ErrorReason::kDeactivated:
      return kExitNotFound;
    // The request was understood but cannot be done as asked (top up first, or the bundle is
    // past refunding): the caller must change the input, like any other rejected argument.
    case ErrorReason::kInsufficientBalance:
    case ErrorReason::kRefundNotAllowed:
      return kExitInvalidArgument;
    case ErrorReason::kUnspecified:
      break;
  }
  switch (error.code) {
    case ErrorCode::kInvalidArgument:
    case ErrorCode::kBadRequest:
      return kExitInvalidArgument;
    // A 403 with no known cause: v2.4 uses it for a key that may not do this.
    case ErrorCode::kUnauthorized:
    case ErrorCode::kForbidden:
      return kExitAuth;
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
