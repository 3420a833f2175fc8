#pragma once
// JSON ⇄ catalogue models (#24, #25). Used by the SDK (decode) and the sandbox (encode).

#include "esimgo/catalogue.h"
#include "json/json_reader.h"
#include "json/json_writer.h"

namespace esimgo {
using internal::JsonWriter;
namespace json = internal::json;

json::Err Decode(json::Value v, Country& out);
json::Err Decode(json::Value v, CatalogueBundle& out);
// A bare array (the YAML) or `{bundles, pageCount, rows, pageSize}` (the live API).
json::Err Decode(json::Value v, CataloguePage& out);
// The same over simdjson's DOM: DecodeBody<CataloguePage> tries it first (ADR 0003).
json::Err Decode(json::Element v, Country& out);
json::Err Decode(json::Element v, CatalogueBundle& out);
json::Err Decode(json::Element v, CataloguePage& out);

// v2.5 GET /catalogue/prices. `price` is a decimal string (a number is read too); anything
// else fails the decode.
json::Err Decode(json::Value v, PriceCountry& out);
json::Err Decode(json::Value v, ConsumptionPrice& out);
json::Err Decode(json::Value v, CountryPrices& out);
json::Err Decode(json::Value v, CataloguePrices& out);

void Encode(JsonWriter& w, const Country& c);
// `with_groups` false gives `BundleCatalogueResponse` (#25), which has no groups.
void Encode(JsonWriter& w, const CatalogueBundle& b, bool with_groups = true);
void Encode(JsonWriter& w, const CataloguePage& page);
// v2.5 prices; `price` as a decimal string, like eSIM Go.
void Encode(JsonWriter& w, const PriceCountry& c);
void Encode(JsonWriter& w, const ConsumptionPrice& p);
void Encode(JsonWriter& w, const CountryPrices& c);
void Encode(JsonWriter& w, const CataloguePrices& m);

}  // namespace esimgo
