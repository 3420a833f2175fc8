#include "esimgo/callbacks/dedupe.h"

#include <openssl/evp.h>

#include <simdjson.h>

namespace esimgo::callbacks {

std::array<uint8_t, 32> DedupeKey(std::string_view source, std::string_view body) {
  std::array<uint8_t, 32> out{};
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  // The 0x00 separator keeps ("ab", "c…") and ("a", "bc…") apart; a source never holds NUL
  // (Store::Open refuses one).
  const unsigned char zero = 0;
  unsigned int len = 0;
  if (ctx != nullptr && EVP_DigestInit_ex(ctx, EVP_sha256(), nullptr) == 1 &&
      EVP_DigestUpdate(ctx, source.data(), source.size()) == 1 &&
      EVP_DigestUpdate(ctx, &zero, 1) == 1 &&
      EVP_DigestUpdate(ctx, body.data(), body.size()) == 1) {
    EVP_DigestFinal_ex(ctx, out.data(), &len);
  }
  EVP_MD_CTX_free(ctx);
  return out;
}

namespace {

// The raw lexeme of a string or number value; nothing for any other type. Numbers are taken
// as their token text (never parsed into a double: a 20-digit ICCID has no exact double).
std::optional<std::string> Lexeme(simdjson::ondemand::value value) {
  simdjson::ondemand::json_type type;
  if (value.type().get(type) != simdjson::SUCCESS) return std::nullopt;
  if (type == simdjson::ondemand::json_type::string) {
    std::string_view s;
    if (value.get_string().get(s) != simdjson::SUCCESS) return std::nullopt;
    return std::string(s);
  }
  if (type == simdjson::ondemand::json_type::number) {
    std::string_view raw = value.raw_json_token();
    while (!raw.empty() &&
           (raw.back() == ' ' || raw.back() == '\n' || raw.back() == '\r' || raw.back() == '\t')) {
      raw.remove_suffix(1);
    }
    return std::string(raw);
  }
  return std::nullopt;
}

}  // namespace

Fields ExtractFields(std::string_view body) {
  Fields fields;
  std::optional<std::string> event;
  simdjson::padded_string padded(body);
  // On-demand parsing is lazy and skips what it does not read, so it would accept a body
  // that breaks off after `iccid`. Validate the whole document first (the DOM parser checks
  // structure and UTF-8): a malformed body keeps no fields at all. ~1 µs for a callback.
  // One parser per thread: HTTP worker threads call this concurrently.
  thread_local simdjson::dom::parser validator;
  simdjson::dom::element root;
  if (validator.parse(padded).get(root) != simdjson::SUCCESS || !root.is_object()) return {};
  thread_local simdjson::ondemand::parser parser;
  simdjson::ondemand::document doc;
  if (parser.iterate(padded).get(doc) != simdjson::SUCCESS) return {};
  simdjson::ondemand::object object;
  if (doc.get_object().get(object) != simdjson::SUCCESS) return {};
  for (auto field : object) {
    std::string_view key;
    if (field.unescaped_key().get(key) != simdjson::SUCCESS) return {};
    simdjson::ondemand::value value;
    if (field.value().get(value) != simdjson::SUCCESS) return {};
    // A malformed body fails part-way: keep nothing rather than a half-read field set.
    if (key == "alertType") {
      fields.alert_type = Lexeme(value);
    } else if (key == "iccid") {
      fields.iccid = Lexeme(value);
    } else if (key == "event") {
      event = Lexeme(value);
    }
  }
  if (!fields.alert_type && event) fields.alert_type = std::move(event);
  return fields;
}

}  // namespace esimgo::callbacks
