#include "model/common_codec.h"

namespace esimgo {

json::Err Decode(json::Value v, StatusMessage& out) {
  return json::ForEachField(v, [&](std::string_view key, json::Value f) {
    if (key == "status" || key == "message") return json::Read(f, out.status);
    return json::kOk;
  });
}

void Encode(JsonWriter& w, const StatusMessage& m) {
  w.BeginObject().Field("status", m.status).EndObject();
}

void EncodeErrorMessage(JsonWriter& w, std::string_view message) {
  w.BeginObject().Field("message", message).EndObject();
}

}  // namespace esimgo
