#pragma once
/// @file files.h
/// Writing the files a user asked for (--out, --qr-png) without trusting what is already at
/// the path: a link planted there is refused, never followed.

#include <string>
#include <string_view>

#include "esimgo/result.h"

namespace esimgo::cli {

/// Writes `bytes` to `path` atomically: a new temporary file in the same directory (created
/// with O_EXCL|O_NOFOLLOW, mode 0600 — install details hold activation codes), fsync'ed, then
/// renamed over `path`. Refuses when `path` is a symbolic link or not a regular file, so
/// neither the link nor its target is written through.
/// Errors: kInvalidArgument (what is wrong with the path, and what to do).
[[nodiscard]] Result<void> WriteFileSafely(const std::string& path, std::string_view bytes);

}  // namespace esimgo::cli
