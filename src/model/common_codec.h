#pragma once
// Codecs of the small types several groups share.

#include "esimgo/types.h"
#include "json/json_reader.h"
#include "json/json_writer.h"

namespace esimgo {
using internal::JsonWriter;
namespace json = internal::json;

json::Err Decode(json::Value v, StatusMessage& out);
void Encode(JsonWriter& w, const StatusMessage& m);

// `{"message": …}`, the body of every error the API (and the sandbox) sends.
void EncodeErrorMessage(JsonWriter& w, std::string_view message);

}  // namespace esimgo
