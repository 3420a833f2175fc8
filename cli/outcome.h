#pragma once
/// @file outcome.h
/// The one error dialect of the CLI's commands: `Outcome<T>`, an `esimgo::Result` whose error
/// also carries the exit code. SDK errors convert implicitly (their exit code comes from
/// ExitCodeFor); the few stops the CLI decides itself (a refused confirmation) name theirs.

#include <string>
#include <utility>

#include "esimgo/result.h"
#include "exit_codes.h"

namespace esimgo::cli {

/// Why a command stopped, and with which exit code.
struct Failure {
  Error error;  ///< Printed (redacted, with a hint) unless its message is empty.
  int exit_code = kExitFailure;

  Failure(Error e) : error(std::move(e)), exit_code(ExitCodeFor(error)) {}  // NOLINT: implicit
  Failure(int code, std::string message) : exit_code(code) {
    error.code = ErrorCode::kInvalidArgument;
    error.message = std::move(message);
  }
};

template <class T = void>
using Outcome = tl::expected<T, Failure>;

/// The CLI refuses an input before any request (exit 3): `message` says what to do instead.
[[nodiscard]] inline tl::unexpected<Failure> Invalid(std::string message) {
  return tl::unexpected(Failure(kExitInvalidArgument, std::move(message)));
}

/// A stop the CLI decided itself with its own exit code (say why in `message`; "" = already
/// said on stderr).
[[nodiscard]] inline tl::unexpected<Failure> Stop(int exit_code, std::string message) {
  return tl::unexpected(Failure(exit_code, std::move(message)));
}

}  // namespace esimgo::cli
