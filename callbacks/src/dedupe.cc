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

// A validating JSON scanner that keeps the raw lexemes of three top-level fields. Why not a
// library parser: simdjson's DOM refuses integers beyond 64 bits (a 20-digit ICCID sent as a
// number is valid JSON), and its on-demand API does not validate what it skips — a body cut
// off after `iccid` would yield fields. This walks every byte once (RFC 8259 grammar; UTF-8
// is checked up front by simdjson) and never converts a number.
class Scanner {
 public:
  explicit Scanner(std::string_view s) : s_(s) {}

  bool Document(Fields& fields, std::optional<std::string>& event) {
    Ws();
    if (Peek() != '{') return false;
    if (!Object(&fields, &event, 0)) return false;
    Ws();
    return pos_ == s_.size();
  }

 private:
  static constexpr int kMaxDepth = 512;

  char Peek() const { return pos_ < s_.size() ? s_[pos_] : '\0'; }
  void Ws() {
    while (pos_ < s_.size() &&
           (s_[pos_] == ' ' || s_[pos_] == '\t' || s_[pos_] == '\n' || s_[pos_] == '\r')) {
      ++pos_;
    }
  }
  bool Literal(std::string_view word) {
    if (s_.substr(pos_, word.size()) != word) return false;
    pos_ += word.size();
    return true;
  }
  static int Hex(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  }
  bool Hex4(uint32_t& v) {
    if (pos_ + 4 > s_.size()) return false;
    v = 0;
    for (int i = 0; i < 4; ++i) {
      int h = Hex(s_[pos_++]);
      if (h < 0) return false;
      v = v * 16 + static_cast<uint32_t>(h);
    }
    return true;
  }
  static void Utf8(std::string& out, uint32_t cp) {
    if (cp < 0x80) {
      out += static_cast<char>(cp);
    } else if (cp < 0x800) {
      out += static_cast<char>(0xC0 | (cp >> 6));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
      out += static_cast<char>(0xE0 | (cp >> 12));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
      out += static_cast<char>(0xF0 | (cp >> 18));
      out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    }
  }
  // A string; its unescaped text goes to `out` when given.
  bool String(std::string* out) {
    if (Peek() != '"') return false;
    ++pos_;
    while (pos_ < s_.size()) {
      char c = s_[pos_++];
      if (c == '"') return true;
      if (static_cast<unsigned char>(c) < 0x20) return false;
      if (c != '\\') {
        if (out) *out += c;
        continue;
      }
      if (pos_ >= s_.size()) return false;
      char e = s_[pos_++];
      char plain = 0;
      switch (e) {
        case '"':
          plain = '"';
          break;
        case '\\':
          plain = '\\';
          break;
        case '/':
          plain = '/';
          break;
        case 'b':
          plain = '\b';
          break;
        case 'f':
          plain = '\f';
          break;
        case 'n':
          plain = '\n';
          break;
        case 'r':
          plain = '\r';
          break;
        case 't':
          plain = '\t';
          break;
        case 'u': {
          uint32_t cp = 0;
          if (!Hex4(cp)) return false;
          if (cp >= 0xD800 && cp <= 0xDBFF && s_.substr(pos_, 2) == "\\u") {
            pos_ += 2;
            uint32_t low = 0;
            if (!Hex4(low) || low < 0xDC00 || low > 0xDFFF) return false;
            cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
          }
          if (out) Utf8(*out, cp);
          continue;
        }
        default:
          return false;
      }
      if (out) *out += plain;
    }
    return false;
  }
  bool Digits() {
    std::size_t start = pos_;
    while (pos_ < s_.size() && s_[pos_] >= '0' && s_[pos_] <= '9') ++pos_;
    return pos_ > start;
  }
  bool Number() {
    if (Peek() == '-') ++pos_;
    if (Peek() == '0') {
      ++pos_;
    } else if (!Digits()) {
      return false;
    }
    if (Peek() == '.') {
      ++pos_;
      if (!Digits()) return false;
    }
    if (Peek() == 'e' || Peek() == 'E') {
      ++pos_;
      if (Peek() == '+' || Peek() == '-') ++pos_;
      if (!Digits()) return false;
    }
    return true;
  }
  // Any value; for a string or number the lexeme goes to `lexeme` when given.
  bool Value(std::optional<std::string>* lexeme, int depth) {
    Ws();
    char c = Peek();
    if (c == '"') {
      std::string text;
      if (!String(lexeme ? &text : nullptr)) return false;
      if (lexeme) *lexeme = std::move(text);
      return true;
    }
    if (c == '-' || (c >= '0' && c <= '9')) {
      std::size_t start = pos_;
      if (!Number()) return false;
      if (lexeme) *lexeme = std::string(s_.substr(start, pos_ - start));
      return true;
    }
    if (lexeme) lexeme->reset();
    if (c == '{') return Object(nullptr, nullptr, depth + 1);
    if (c == '[') return Array(depth + 1);
    return Literal("true") || Literal("false") || Literal("null");
  }
  bool Array(int depth) {
    if (depth > kMaxDepth) return false;
    ++pos_;  // [
    Ws();
    if (Peek() == ']') {
      ++pos_;
      return true;
    }
    for (;;) {
      if (!Value(nullptr, depth)) return false;
      Ws();
      if (Peek() == ',') {
        ++pos_;
        continue;
      }
      if (Peek() != ']') return false;
      ++pos_;
      return true;
    }
  }
  // An object; at the top level (fields != nullptr) the three fields are captured (the last
  // occurrence of a repeated key wins, as in most parsers).
  bool Object(Fields* fields, std::optional<std::string>* event, int depth) {
    if (depth > kMaxDepth) return false;
    ++pos_;  // {
    Ws();
    if (Peek() == '}') {
      ++pos_;
      return true;
    }
    for (;;) {
      Ws();
      std::string key;
      if (!String(fields ? &key : nullptr)) return false;
      Ws();
      if (Peek() != ':') return false;
      ++pos_;
      std::optional<std::string>* target = nullptr;
      if (fields) {
        if (key == "alertType") {
          target = &fields->alert_type;
        } else if (key == "iccid") {
          target = &fields->iccid;
        } else if (key == "event") {
          target = event;
        }
      }
      if (!Value(target, depth)) return false;
      Ws();
      if (Peek() == ',') {
        ++pos_;
        continue;
      }
      if (Peek() != '}') return false;
      ++pos_;
      return true;
    }
  }

  std::string_view s_;
  std::size_t pos_ = 0;
};

}  // namespace

Fields ExtractFields(std::string_view body) {
  if (!simdjson::validate_utf8(body.data(), body.size())) return {};
  Fields fields;
  std::optional<std::string> event;
  if (!Scanner(body).Document(fields, event)) return {};
  if (!fields.alert_type && event) fields.alert_type = std::move(event);
  return fields;
}

}  // namespace esimgo::callbacks
