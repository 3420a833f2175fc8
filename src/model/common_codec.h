#pragma once
// Codecs of the small types several groups share.

#include <string_view>
#include <vector>

#include "esimgo/types.h"
#include "json/json_reader.h"
#include "json/json_writer.h"

namespace esimgo {
using internal::JsonWriter;
namespace json = internal::json;

json::Err Decode(json::Value v, StatusMessage& out);
void Encode(JsonWriter& w, const StatusMessage& m);

// v2.5 allowances (esims and catalogue). The DOM overload serves the catalogue's fast path.
json::Err Decode(json::Value v, BundleAllowance& out);
json::Err Decode(json::Element v, BundleAllowance& out);
// Amounts that are absent stay absent; integral amounts are written as integers.
void Encode(JsonWriter& w, const BundleAllowance& m);
// `"key": [...]` only when `allowances` is not empty: v2.4 answers never carry the key.
void EncodeAllowancesIfAny(JsonWriter& w, std::string_view key,
                           const std::vector<BundleAllowance>& allowances);

// `{"message": …}`, the body of every error the API (and the sandbox) sends.
void EncodeErrorMessage(JsonWriter& w, std::string_view message);

}  // namespace esimgo
