#!/usr/bin/env python3
"""Renders sandbox/data/bundles.csv as one live-shaped GET /catalogue response.

Usage: gen_catalogue.py bundles.csv networks.csv > catalogue.json

Shape (Appendix B of the API reference): {"bundles":[CatalogueBundle…],"pageCount":1,
"rows":N,"pageSize":N}, every bundle with all CatalogueBundle fields and one country object per
ISO code it covers. Generated at bench time, never committed (it is several MB).
"""
import csv
import json
import sys

GROUPS = {
    "fixed": "Standard Fixed",
    "UL": "Standard Unlimited Lite",
    "ULE": "Standard Unlimited Essential",
    "ULP": "Standard Unlimited Plus",
    "long": "Standard Long Duration",
}
TIER_LABEL = {"UL": "Unlimited Lite", "ULE": "Unlimited Essential", "ULP": "Unlimited Plus"}


def main() -> int:
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    with open(sys.argv[1], newline="", encoding="utf-8") as f:
        bundles = list(csv.DictReader(f))
    names = {}
    with open(sys.argv[2], newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            names.setdefault(row["iso"], row["country"])
    # Country names: networks.csv, else the area of a single-country bundle, else the code.
    # Region: the area of the smallest regional bundle that covers the country.
    region_size = {}
    region = {}
    for b in bundles:
        isos = [i for i in b["isos"].split(";") if i]
        if len(isos) == 1:
            names.setdefault(isos[0], b["area"])
        else:
            rank = (b["area"].startswith("Global"), len(isos))  # continents before "Global …"
            for iso in isos:
                if iso not in region_size or rank < region_size[iso]:
                    region_size[iso] = rank
                    region[iso] = b["area"]

    out = []
    for b in bundles:
        isos = [i for i in b["isos"].split(";") if i]
        unlimited = b["unlimited"] == "true"
        data = TIER_LABEL.get(b["tier"], "Unlimited") if unlimited else f"{b['data_gb']}GB"
        out.append({
            "name": b["name"],
            "description": f"eSIM, {data}, {b['days']} Days, {b['area']}, V2",
            "groups": [GROUPS.get(b["tier"], "Standard Fixed")],
            "countries": [
                {"name": names.get(i, i), "region": region.get(i, "Global"), "iso": i} for i in isos
            ],
            "dataAmount": 0 if unlimited else round(float(b["data_gb"]) * 1000),
            "duration": int(b["days"]),
            "speed": ["4G", "5G"],
            "autostart": True,
            "unlimited": unlimited,
            "roamingEnabled": [],
            # A JSON number in its shortest form (1.30 → 1.3), as the live API sends it.
            "price": json.loads(b["price_usd"]),
            "billingType": "FixedCost",
        })
    page = {"bundles": out, "pageCount": 1, "rows": len(out), "pageSize": len(out)}
    sys.stdout.write(json.dumps(page, ensure_ascii=False, separators=(",", ":")))
    return 0


if __name__ == "__main__":
    sys.exit(main())
