"""Cargo classes, units of carriage and well-to-wheel factors (issue 14); used by build_geodata.py.

Writes ``carriage.csv`` (the rules of each unit of carriage: box volume, groupage break-even,
minimum charges, wagon payload, air chargeable weight, storage free time, inventory rate)
and ``cargo_classes.csv`` (value per tonne and stowage factor of each cargo class), with a
``sources.csv`` row per figure through the generator's ``src``.
"""
import csv

CUFT_M3 = 0.0283168  # cubic feet in a cubic metre (definition)

REFS = {
 "colorcraft_specs": ("Colorcraft (Hong Kong), 'Container specs': 40' box, recommended load volume 56 CBM (loose cartons), payload 24,000 kg; 20' 26 CBM, 22,000 kg", "http://colorcraft.com.hk/en/resources/container-specs/index.html", "N", ""),
 "utilitypilot_lcl": ("UtilityPilot, 'Container utilization calculator' (2026): a 40' box has 60 m³ usable; below 60% utilisation LCL (consolidation) is usually cheaper, from 85% FCL is clearly justified", "https://utilitypilot.net/calculators/container-utilization-calculator", "N", ""),
 "bussped_rail": ("Bussped (Poland), groupage freight calculator: rail rates per CBM with 500 kg = 1 CBM, sea rates W/M (1 m³ / 1,000 kg); the rates are also minimum rates", "https://bussped.pl/en/rail-freight", "N", ""),
 "ksimpexp_2025": ("ksimpexp.com, 'Shipping cost from China explained': minimum volume air ~45 kg (consolidated), rail LCL ~1 CBM, sea LCL ~1 CBM or 200 kg", "https://ksimpexp.com/shipping-cost-china-explained/", "N", ""),
 "uwc_hopper_2018": ("Bulk Materials International: UWC hopper cars 19-9835-01 for EuroChem mineral fertilisers, 101 m³, up to 76.7 t, 6 t more than hopper cars with standard bogies", "https://www.bulkmaterialsinternational.com/news/700-new-generation-hopper-cars-60949", "N", ""),
 "cxmm_air": ("cxmm-scm.com, 'What does air freight charge consist of?': 1 CBM = 167 kg; the chargeable weight is the greater of dimensional and actual weight (IATA 6,000 cm³/kg)", "https://cxmm-scm.com/what-does-air-freight-charge-consist-of/", "N", ""),
 "okcargo_airport": ("56ok.com, destination air cargo charges: handling at major international airports 0.15–0.45 USD/kg; free storage usually 2–3 days, then 0.07–0.15 USD/kg a day", "https://en.56ok.com/topic/detail-117707-rising-air-freight-costs-challenge-global-supply-chains.html", "N", ""),
 "xchange_dd_2020": ("Container xChange, 'Demurrage & Detention Charges 2020': free days are usually not more than 4–5 days, then charges per day", "https://pdfslide.us/documents/new-demurrage-detention-charges2020-container-xchange-2020-6-5-miles.html", "N", ""),
 "xchange_dd_2022": ("Container xChange, Demurrage & Detention Benchmark 2022 (via xindemarinenews.com, 14 Jul 2022): charges two weeks after free time, May 2022, Europe 549 USD per container", "https://xindemarinenews.com/en/ports/2022/0714/40134.html", "N", ""),
 "shipsgo_2019": ("ShipsGo Academy, 11 Apr 2019, 'The costs of goods in transit': annual inventory carrying cost 20–25% of the value, 25% in the worked example", "https://shipsgo.com/en/grow-with-shipsgo/shipsgo-academy/topic/the-costs-of-goods-in-transit-in-transit-inventory-in-container-shipping", "N", ""),
 "imsbc_an": ("IMSBC Code, schedule 'Ammonium nitrate based fertilizer (UN 2071)' (imorules.com): bulk density 900–1,200 kg/m³, stowage factor 0.83–1.11 m³/t", "https://imorules.com/GUID-6545F1B6-D569-40CF-AD54-9532C4740E3E.html", "P", ""),
 "stahlbaum_sf": ("O. Stahlbaum, 'Stowage factors for all kinds of merchandise' (K.O. Storck Verlag, Hamburg; scribd copy): acetylsalicylic acid (aspirin) in barrels 2.26–2.55 m³/t", "https://www.scribd.com/document/427950427/Stowage-Factors", "P", ""),
 "wartsila_sf": ("Wärtsilä encyclopedia, 'Stowage factor': steel products 0.3–0.6 m³/t", "https://www.wartsila.com/encyclopedia/term/stowage-factor", "P", ""),
 "handybulk_paper": ("HandyBulk, 'Paper products': kraft linerboard rolls stow at 65–90 cubic feet per tonne", "https://www.handybulk.com/paper-products", "N", ""),
 "cr_express_value": ("batteryshipment.com, 'China-Europe Rail freight - 2026 Guide': by 2025 more than 120,000 trains carried 11.7 M TEU of cargo worth about USD 490 bn", "https://batteryshipment.com/china-europe-rail-freight", "N", ""),
}

# (key, value, unit, basis, ref, note, description)
_BREAKEVEN = round(60.0 * (0.60 + 0.85) / 2.0, 2)
RULES = [
 ("feu_m3", 56.0, "m3", "news", "colorcraft_specs", "recommended load volume of a 40' box (loose cartons)", "cargo volume one FEU holds"),
 ("feu_t", 24.0, "t", "news", "colorcraft_specs", "recommended payload of a 40' box", "cargo mass one FEU holds"),
 ("tariff_unit_t", 20.0, "t", "published", "cpmm_def", "CPMM TFI3 is a cost per 500 km per 20-ton cargo; the network's per-FEU rail and road tariffs built from it (and the FEU rates compared with it) count a 20-t load as one FEU", "tonnes of bulk that pay one FEU's tariff (wagons)"),
 ("lcl_breakeven_m3", _BREAKEVEN, "m3", "computed", "utilitypilot_lcl", "60 m³ usable in a 40' box x 72.5%, the middle of the 60–85% utilisation band between 'LCL usually cheaper' and 'FCL clearly justified': a groupage m³ costs the box rate over this volume", "groupage: m³ whose charge equals one FEU's"),
 ("lcl_min_m3", 1.0, "m3", "news", "bussped_rail", "groupage rates per CBM are also minimum rates (ksimpexp_2025: rail LCL ~1 CBM minimum)", "groupage: least chargeable volume"),
 ("lcl_rail_kg_m3", 500.0, "kg/m3", "news", "bussped_rail", "rail groupage: 500 kg = 1 CBM; used for road groupage too (no road figure found)", "groupage by rail and road: kg charged as one m³"),
 ("lcl_sea_kg_m3", 1000.0, "kg/m3", "news", "bussped_rail", "sea groupage rated W/M, 1 m³ / 1,000 kg", "groupage by sea and ferry: kg charged as one m³"),
 ("wagon_t", round(76.7 - 6.0, 2), "t", "computed", "uwc_hopper_2018", "new hopper cars carry up to 76.7 t, 6 t more than hopper cars with standard bogies (the common fleet): 70.7 t", "payload of a covered hopper wagon"),
 ("wagon_teu", 2.0, "TEU", "assumption", "", "the Caspian Ro-Pax counts 56 wagons as 112 TEU (services: caspian-ropax); a wagon takes the same two slots on a service or gate", "slots a wagon takes on a service"),
 ("air_kg_m3", round(1e6 / 6000.0, 3), "kg/m3", "published", "cxmm_air", "IATA volumetric ratio 6,000 cm³ per kg (1 m³ = 166.7 kg; the source rounds to 167)", "air: volumetric kg per m³"),
 ("air_min_kg", 45.0, "kg", "news", "ksimpexp_2025", "minimum for consolidated air freight", "air: least chargeable weight"),
 ("air_handling_usd_kg", 0.30, "USD/kg", "computed", "okcargo_airport", "midpoint of 0.15–0.45 USD/kg handling at major international airports; charged at each airport where the consignment changes mode", "air: handling per chargeable kg at an airport"),
 ("port_free_days", 5.0, "days", "news", "xchange_dd_2020", "free days are usually not more than 4–5 days: the upper end taken", "days a box may wait at a port free of charge"),
 ("port_usd_day", round(549.0 / 14.0, 2), "USD/FEU/day", "computed", "xchange_dd_2022", "549 USD per container for two weeks beyond free time (Europe, May 2022) / 14 days; used for every port (no Caspian or Black Sea figure found)", "storage and demurrage per box and day beyond free time"),
 ("air_free_days", 2.5, "days", "computed", "okcargo_airport", "midpoint of the usual 2–3 free days at airports", "days air cargo may wait at an airport free of charge"),
 ("air_usd_kg_day", 0.11, "USD/kg/day", "computed", "okcargo_airport", "midpoint of 0.07–0.15 USD/kg a day", "airport storage per chargeable kg and day beyond free time"),
 ("inventory_rate", 0.25, "1/year", "news", "shipsgo_2019", "annual in-transit inventory carrying cost 20–25% of value, 25% in the source's worked example; a scenario sets its own with inventory_rate", "annual carrying cost of cargo in transit, share of its value"),
]

_GEN_T = 20.0  # t per FEU, as the bundled scenarios assume (general cargo)
CLASSES = [
 ("fertilizer", "mineral fertilizer (ammonium nitrate, urea)",
  (507.7, "proxy", "prime_urea_2025", "world average urea price, Aug 2025 (as the baseline converts the 2025 trade value)"),
  (round((0.83 + 1.11) / 2, 3), "computed", "imsbc_an", "midpoint of 0.83–1.11 m³/t for ammonium nitrate based fertilizer, which KazAzot ships (trend_kazazot_2024)")),
 ("medicines", "medicines (pharmaceutical products)",
  (round(1.06e9 / 18900.0, 0), "computed", "kazinform_drugs_2024", "Kazakhstan's drug imports H1 2024: USD 1.06 bn for 18,900 t; temperature control is not modelled (no source on the share needing it)"),
  (round((2.26 + 2.55) / 2, 3), "proxy", "stahlbaum_sf", "midpoint of 2.26–2.55 m³/t for acetylsalicylic acid (aspirin) in barrels, the only medicine in the table")),
 ("aluminium", "aluminium plates, sheets and strips",
  (2630.0, "proxy", "reuters_aluminium_2026", "average LME aluminium price 2025 (metal value; rolled products cost more)"),
  (round((0.3 + 0.6) / 2, 3), "proxy", "wartsila_sf", "midpoint of 0.3–0.6 m³/t for steel products; sheet in a box is limited by weight either way")),
 ("paper", "paper and cardboard",
  (1491.0, "proxy", "indexbox_paperbox_2022", "average export price of corrugated paper and paperboard boxes, 2020"),
  (round((65 + 90) / 2 * CUFT_M3, 3), "computed", "handybulk_paper", "midpoint of 65–90 ft³ per tonne for kraft linerboard rolls, in m³")),
 ("general", "general containerised cargo",
  (round(490e9 / 11.7e6 / (_GEN_T / 2), 0), "computed", "cr_express_value", "USD 490 bn over 11.7 M TEU carried by China–Europe trains = 41,880 USD per TEU, at 10 t per TEU (the bundled scenarios' 20 t per FEU, an assumption)"),
  (round(56.0 / _GEN_T, 3), "computed", "colorcraft_specs", "a FEU's 56 m³ holding the scenarios' 20 t per FEU")),
]

# well-to-tank factors, g CO2e per tonne-km, DEFRA 2025 (WTT- freighting goods); WTW = TTW + WTT (ISO 14083)
WTT = {
 "rail": (6.91, "published", "defra_2025", "WTT of 'Rail: freight train'"),
 "hgv": (23.59, "published", "defra_2025", "WTT of 'HGV (all diesel), average laden'"),
 "container_ship": (3.65, "published", "defra_2025", "WTT of 'Container ship, average'"),
 "roro_ferry": (11.70, "published", "defra_2025", "WTT of 'RoRo ferry, average'"),
 "air_longhaul": (135.16, "published", "defra_2025", "WTT of 'Freight flight, long-haul international' (GLEC v3.2 air belly long-haul: 608 WTW, ecofreight.co reproduction, for comparison)"),
}
WTT["container_feeder"] = (round(36.75 * 3.65 / 16.12, 2), "proxy", "defra_2025", "WTT of a 0–999 TEU ship not retrieved: the average container ship's WTT/TTW ratio (3.65/16.12) applied to its 36.75 TTW")


def wtw(key, ttw):
    """Well-to-wheel factor of an emission factor key: TTW + WTT."""
    return round(ttw + WTT[key][0], 2)


def add_sources(src, ef):
    """Source rows for the rules, the classes and the WTW factors (``ef``: key, TTW, description)."""
    for key, value, unit, basis, ref, note, _ in RULES:
        src("carriage", key, "value", value, unit, basis, ref, note)
    for cid, _, value, m3 in CLASSES:
        src("cargo_class", cid, "value_usd_t", value[0], "USD/t", *value[1:])
        src("cargo_class", cid, "m3_per_t", m3[0], "m3/t", *m3[1:])
    for key, ttw, _ in ef:
        w, basis, ref, note = WTT[key]
        src("emission_factor", key, "g_co2e_tkm_wtw", wtw(key, ttw), "g CO2e/t-km", "computed", ref,
            f"well-to-wheel (ISO 14083: TTW + WTT): {ttw} direct + {w} well-to-tank ({basis}: {note})")


def write(out):
    """Write carriage.csv and cargo_classes.csv into ``out``."""
    with open(out / "carriage.csv", "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh); w.writerow(["key", "value", "unit", "description"])
        for key, value, unit, _, _, _, desc in RULES: w.writerow([key, value, unit, desc])
    with open(out / "cargo_classes.csv", "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh); w.writerow(["id", "name", "value_usd_t", "m3_per_t"])
        for cid, name, value, m3 in CLASSES: w.writerow([cid, name, value[0], m3[0]])
