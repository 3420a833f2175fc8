#pragma once
// The path every operation takes: validate → build Call → Execute (retry loop) → decode.

#include <string>
#include <string_view>

#include "client_core.h"
#include "json/json_reader.h"
#include "json/json_writer.h"

namespace esimgo::internal {

// Sends `call` and decodes the 2xx body into T with its `Decode` overload.
template <class T>
Result<T> ExecuteAndDecode(ClientCore* core, const Call& call, const CallOptions& options) {
  auto response = core->Execute(call, options);
  if (!response) return tl::unexpected(std::move(response.error()));
  auto decoded = json::DecodeBody<T>(response->body, InfoOf(call.op).name);
  if (!decoded) {
    decoded.error().operation = std::string(InfoOf(call.op).name);
    decoded.error().http_status = response->status;
    decoded.error().attempts = 1;
  }
  return decoded;
}

// An `kInvalidArgument` error for `op`, raised before anything is sent.
inline tl::unexpected<Error> InvalidArgument(Op op, std::string message) {
  return Fail(ErrorCode::kInvalidArgument, std::move(message), std::string(InfoOf(op).name));
}

// Encodes any model with an `Encode(JsonWriter&, const T&)` overload.
template <class T>
std::string EncodeBody(const T& value) {
  JsonWriter w;
  Encode(w, value);
  return w.Take();
}

}  // namespace esimgo::internal
