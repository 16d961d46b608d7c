"""Generate geodata/ (nodes, links, services, sources) from sourced figures and data tools.

Run from anywhere: ``python geodata/tools/build_geodata.py`` (needs ``pip install -e ".[data]"``).
The output is deterministic; re-running it on an unchanged script leaves geodata/ unchanged.
"""
import csv, json, math
from pathlib import Path
from pyproj import Geod
import searoute as sr

import argparse
HERE = Path(__file__).resolve().parent
_ARGS = argparse.ArgumentParser(description=__doc__.splitlines()[0])
_ARGS.add_argument("--out", type=Path, default=HERE.parent, help="folder to write (default: geodata/)")
OUT = _ARGS.parse_args().out
OUT.mkdir(parents=True, exist_ok=True)
G = Geod(ellps="WGS84")
SOURCES = []  # component,id,attribute,value,unit,basis,ref,note

def src(component, ident, attribute, value, unit, basis, ref, note=""):
    SOURCES.append(dict(component=component, id=ident, attribute=attribute, value=value, unit=unit, basis=basis, ref=ref, note=note))

REFS = {
 "erai_dostyk": ("ERAI (Eurasian Rail Alliance Index), Dostyk station infrastructure page", "https://index1520.com/en/infrastructure/dostyk/", "P", ""),
 "wiki_poti_port": ("Wikipedia, 'Poti Sea Port' (via hubbry.com mirror)", "https://en.wikipedia.org/wiki/Poti_Sea_Port", "P", ""),
 "wiki_ge_ports": ("Wikipedia, 'List of ports in Georgia'", "https://en.wikipedia.org/wiki/List_of_ports_in_Georgia", "P", ""),
 "nga_wpi": ("NGA World Port Index (Pub 150)", "https://msi.nga.mil/Publications/WPI", "P", ""),
 "dewiki_beograd_centar": ("de.wikipedia, 'Bahnhof Belgrad Zentrum'", "https://de.wikipedia.org/wiki/Bahnhof_Belgrad_Zentrum", "P", ""),
 "openflights": ("OpenFlights airports.dat (github jpatokal/openflights, commit 5a03602, Apr 2025)", "https://github.com/jpatokal/openflights", "P", ""),
 "ruwiki_khorgos": ("ru.wikipedia, 'Хоргос (село)' (via perceptiode.com)", "https://ru.wikipedia.org/wiki/Хоргос_(село)", "P", ""),
 "ruwiki_kuryk": ("ru.wikipedia, 'Курык' (via perceptiode.com)", "https://ru.wikipedia.org/wiki/Курык", "P", ""),
 "alat_location": ("transukr.dp.ua; COMCEC (2017): Alat port is 65–75 km south of Baku", "", "N", ""),
 "cpmm_2022": ("CAREC Corridor Performance Measurement and Monitoring, Annual Report 2022 (ADB / CAREC Institute)", "https://cpmm.carecprogram.org", "P", ""),
 "cpmm_2020": ("CAREC Corridor Performance Measurement and Monitoring, Annual Report 2020 (ADB / CAREC Institute)", "https://cpmm.carecprogram.org", "P", ""),
 "astanatimes_khorgos_2021": ("Astana Times (Kazinform), Aug 2021: Khorgos Gateway reloads a 45–50-wagon container train in 55 min on average", "https://astanatimes.com", "N", ""),
 "silkroadnews_dostyk_2016": ("silkroadnews.org, 22 Jul 2016: Dostyk train processing 4 h 15 min (was 9 h)", "", "N", ""),
 "railfreight_kz_2018": ("RailFreight.com, 2 Aug 2018, 'Faster and more trains through Kazakhstan this year' (KTZ): container trains averaged 941 km/day", "https://www.railfreight.com", "N", ""),
 "chinadaily_xian_almaty_2013": ("China Daily, 28 Nov 2013, Xi'an–Almaty cargo train: 3,866 km", "https://global.chinadaily.com.cn/china/2013-11/28/content_17138284.htm", "N", ""),
 "wiki_northern_xinjiang": ("Wikipedia, 'Northern Xinjiang railway': Urumqi–Alashankou 460 km", "https://en.wikipedia.org/wiki/Northern_Xinjiang_railway", "P", ""),
 "xinhua_jinghe_2009": ("Xinhua via China.org.cn, 6 Nov 2009, '4 New Rail Lines to Be Operational in Xinjiang by Year-end': Jinghe–Horgos 286 km, Urumqi–Jinghe second line 381.5 km", "http://en.chinagate.cn", "N", ""),
 "jrtr_georgia": ("Gorshkov & Bagaturia, 'Developments at Georgian Railway', Japan Railway & Transport Review 24: Tbilisi–Poti 310 km", "https://www.ejrcf.or.jp/jrtr/jrtr24/f42_gor.html", "P", ""),
 "talgo_kz": ("Talgo, 'Talgo and KTZ breathe new life into Kazakhstan's railway': the 1350 km line between Almaty and Astana", "https://www.talgo.com/en/projects/kazakhstan/passenger-cars/", "P", ""),
 "uz_tariff_2016": ("Ukrzaliznytsia notice of GR/ADY special rates (2016): tariff distances Poti–Gardabani 360 km, Batumi–Gardabani 396 km", "https://uz.gov.ua", "P", ""),
 "agenda_ge_2014": ("Agenda.ge (2014): Poti–Baku container block train within 34 hours", "https://agenda.ge", "N", ""),
 "raillynews_az": ("raillynews.com, 'Azerbaijan Railway Map' (2019); AzerNews via Menafn 30 Jan 2026: 503–504 km of BTK in Azerbaijan", "https://raillynews.com", "N", ""),
 "ame_baku_aktau": ("Azərbaycan Milli Ensiklopediyası vol. 3 (2011) p. 80, 'Bakı–Aktau bərə yolu': length 470 km", "https://obastan.com/wiki/Bakı–Aktau_bərə_yolu", "P", ""),
 "sudohodstvo_2017": ("sudohodstvo.org / inform.kz (2017), Kuryk port GM: Kuryk–Baku 18 h vs Aktau–Baku 22 h", "", "N", ""),
 "seanews_2022": ("sea-news.az, 6 May 2022: Kuryk–Baku (Alat) Ro-Pax crossing 20–22 h (Zarifa Aliyeva)", "https://sea-news.az", "N", ""),
 "uic_644": ("UIC e-news 644 (30 Apr 2019): feeder 'Turkestan' 225 TEU", "https://uic.org/com/enews", "P", ""),
 "sia_az_2025": ("sia.az (2025), ASCO & Kazmortransflot: 4 KMTF + 2 ASCO container feeders, ~89,000 TEU/yr Aktau→Alyat", "https://sia.az", "P", ""),
 "intervalaz_baku_2021": ("interval.az, Feb 2021 (Baku port): the third Turkish export train, 42 forty-foot containers, loaded at Baku port onto the feeder Beket-Ata within 6 hours for Aktau; the Beket-Ata had arrived the same day with 36 FEU from China", "https://interval.az/baki-limaninda-turkiy%c9%99-v%c9%99-cind%c9%99n-g%c9%99l%c9%99n-ixrac-yukl%c9%99ri-asirilib/", "N", ""),
 "reportaz_baku_2020": ("Report.az, 30 Jun 2020: a 43-container block train discharged at Baku port in 6 hours", "https://report.az/en/business/next-block-train-from-china-heads-to-turkey-through-baku-port/", "N", ""),
 "astanatimes_kuryk_2021": ("Astana Times, Aug 2021, 'Kuryk seaport plans to increase shipment capacity': ferry processing cycle 6–8 h (single-tier)", "https://astanatimes.com/2021/08/kuryk-seaport-plans-to-increase-shipment-capacity/", "N", ""),
 "portnews_ropax_2022": ("PortNews, 26 Dec 2022 (ASCO): Ro-Pax 'Azerbaijan'/'Zarifa Aliyeva' class carries 56 tank wagons", "https://portnews.ru", "P", ""),
 "railway_ge_feeder": ("Georgian Railway: subsidiary feeder ship of 210 TEU, three voyages a month to Constanța", "https://railway.ge/en/georgian-railway-subsidiary-will-carry-out-container-shipments-to-europe-by-feeder-ship/", "P", ""),
 "vestnik_e60": ("Vestnik Kavkaza, 'Ferry service connects Georgia, Romania' (~2023): Constanța→Poti departs Tuesday, arrives Thursday evening", "https://vestnikkavkaza.net", "N", ""),
 "middlecorridor_2019": ("middlecorridor.com (TITR association), Aug 2019: Batumi–Constanța feeder 5 days one way (planned)", "https://middlecorridor.com", "C", ""),
 "searoute": ("searoute 1.6.0 (Python package; shortest sea route on the marnet network)", "https://pypi.org/project/searoute/", "E", ""),
 "pyproj": ("pyproj Geod (WGS84 ellipsoid) geodesic length", "https://pyproj4.github.io/pyproj/", "E", ""),
 "wiki_cfr": ("Wikipedia, 'Căile Ferate Române main lines': line 800 Bucharest–Constanța 225 km; line 900 Bucharest–Craiova–Timișoara 533 km", "https://en.wikipedia.org/wiki/CFR_main_lines", "P", ""),
 "postsen_tm_bg": ("romania.postsen.com (2022/23): 'it is less than 200 km from Timisoara to Belgrade'", "", "N", ""),
 "stiripesurse_ro_speed": ("Stiripesurse/Agerpres (~2021), Romanian Competition Council study: average freight train speed in Romania 16 km/h", "https://www.stiripesurse.ro", "P", ""),
 "wiki_beg": ("Wikipedia, 'Belgrade Nikola Tesla Airport': 18 km west of Belgrade centre", "https://en.wikipedia.org/wiki/Belgrade_Nikola_Tesla_Airport", "P", ""),
 "globtroter_nqz": ("globtroter.info (2020): Astana airport 14 km from the city centre (sources give 12–17 km)", "https://globtroter.info", "N", ""),
 "trend_scat_2025": ("Trend.az, 3 Nov 2025; Qazinform, 3 Nov 2025; Astana Times, Nov 2025: SCAT Astana–Belgrade, Mondays and Thursdays, block time 5 h 40 min", "https://en.trend.az", "P", ""),
 "defra_2025": ("UK DESNZ/DEFRA Greenhouse gas reporting: conversion factors 2025, 'Freighting goods' (direct, per tonne-km)", "https://www.gov.uk/government/collections/government-conversion-factors-for-company-reporting", "P", ""),
 "cfts_ktz_rate": ("cfts.org.ua (RZD-Partner), 'Kazakhstan formed a new tariff corridor for container transit' (year not given): KTZ special rate China–Iran via Turkmenistan (Bolashak–Serhetyaka–Akyayla), USD 0.12 per km for a loaded 20' and 0.24 for a loaded 40' container, on condition that the shipper uses its own containers and private (own) rolling stock; valid to the end of the year", "https://cfts.org.ua/news/kazakhstan_sformiroval_novyy_tarifnyy_koridor_dlya_tranzita_konteynerov_31197", "P", ""),
 "erai_method": ("index1520.com (UTLC ERA), 'Eurasian Rail Alliance Index calculation methodology' and FAQ: ERAI is computed from the rail tariffs of Kazakhstan, Russia and Belarus, the fitting platform lease/usage cost, forwarding, terminal, agency and customs services, cargo escort and security, train load and the share of empty containers", "http://index1520.com/en/index/methodology/", "P", ""),
 "cbw_ge_2018": ("Caucasus Business Week (~2018), 'Container Terminals' Future in Georgia': Alyat–Poti/Batumi rail 800 USD per 20' (discounted); Poti THC 290 USD per 20'; Poti–Mersin sea freight 450 USD per 20'", "https://cbw.ge/georgia/container-terminals-future-in-georgia/", "N", ""),
 "haber24_roro": ("Haber24: Caspian Ro-Ro for a truck, Alat→Aktau/Turkmenbashi, 1,200 USD one way after a 20% cut", "https://www.haber24.com", "N", ""),
 "freightos_air": ("moovafrica.com quoting Freightos: air cargo China→Europe 2.65–4.00 USD/kg", "", "N", ""),
 "kmg_caspian_2025": ("KMG via turksam/report.az, Jan 2025: 51,400 TEU by Kazmortransflot = 94% of 55,000 TEU Aktau–Baku feeder traffic in 2024", "https://report.az", "P", ""),
 "trend_xian_baku_2024": ("Trend via Menafn, 15 Jan 2024: Xi'an–Baku block train of 55 forty-foot containers", "https://en.trend.az", "N", ""),
 "qazinform_trade_2026": ("KZ Ministry of Trade and Integration via Qazinform, 26 Feb 2026: KZ–Serbia turnover 2025 USD 107.7 M; KZ exports 28.6 M of which fertilizers 20.3 M; KZ imports 79.1 M (growth in medicines, aluminium, paper)", "https://qazinform.com", "P", ""),
 "prime_urea_2025": ("Prime (1prime.ru), 3 Sep 2025, citing World Bank: world average urea price 507.7 USD/t in August 2025", "https://1prime.ru", "N", ""),
 "kazinform_drugs_2024": ("Kazinform, 22 Aug 2024: Kazakhstan drug imports H1 2024 USD 1.06 bn, 18,900 t", "https://en.inform.kz/news/kazakhstan-spends-usd-1-bln-for-drug-importation-1e85d9/", "N", ""),
 "reportaz_fleet_2025": ("report.az, 26 Nov 2025: Kazmortransflot to add 6 container ships (H1 2027)", "https://report.az", "C", ""),
 "agerpres_batumi_2022": ("Stiripesurse/Agerpres, 24 Oct 2022: Piraeus–Batumi–Constanța–Varna container service with AS Fatima (1,284 TEU) and Contship Jet (1,267 TEU)", "https://www.stiripesurse.ro", "N", ""),
 "trend_kazazot_2024": ("Trend.az, Apr 2024; AzerNews, Feb 2024: KazAzot ammonium nitrate shipped Aktau -> Hovsan (Baku) -> Batumi by sea and rail for onward export", "https://en.trend.az", "N", ""),
 "aktau_teu_capacity": ("Aktau container hub capacity as reported 2022–2025 (inform.kz 2022; timesca; report.az; trend.az; gruzingeo; portnews): 40,000 → 215,000 TEU/yr (2022 plan); 140,000 → 240,000 (2025–26); 200,000 (Nov 2025); 250,000; 300,000 — sources disagree", "https://report.az", "C", ""),
 "seanews_poti_2025": ("sea-news.az, 8 May 2025: Poti port handled 545,297 TEU in 2024 (above the 400,000 TEU capacity listed for 2015)", "https://sea-news.az", "N", ""),
 "cpmm_def": ("CAREC CPMM 2022, Tables 2.1/2.2 note: TFI3 is cost per 500 km per 20-ton cargo", "https://cpmm.carecprogram.org", "P", ""),
}

# Cross-checks (corridor/crosschecks.py): published door-to-door times and prices the model is
# compared with and never built from; no figure in geodata/ cites these.
REFS.update({
 "trend_bte_2026": ("Trend, 24 Jan 2026 (Wanxu Dong, Beijing Trans Eurasia International Logistics, on LinkedIn): average transit time of freight trains Xi'an–Baku 16 days in January 2026 (8 trains), 17 days in December 2025 (11 trains)", "https://www.trend.az/business/4145509.html", "N", ""),
 "trend_titr_2024": ("Trend, 31 May 2024 (Working Group on the development of the TITR, Shymkent): regular delivery schedules, Altynkol -> Absheron 9 days, -> Poti or Batumi 12 days, Altynkol -> Constanța via Poti or Batumi 20–22 days (repeated by the Kazakh Ministry of Transport via KazTAG, 4 Oct 2024)", "https://en.trend.az/casia/kazakhstan/3906462.html", "N", ""),
 "shiphub_xian_duisburg": ("shiphub.co, 'Xi'an-Duisburg record transit time' (Rail Link 2.0, X8155 CR Express): 9,908 km in 9 days 19 h 26 min; the standard transit time is 12–14 days", "https://www.shiphub.co/xian-duisburg/", "N", ""),
 "navisgroup_2025": ("navisgroup.com.ua, 27 Aug 2025, 'Middle Corridor vs classic routes from China': official TITR guidance 31–34 days to Constanța, 32–37 days to Budapest/Duisburg/Milan (departures from Xi'an/Yiwu/Zhengzhou); rail via Russia Xi'an -> Małaszewicze 12–14 days, Chongqing -> Duisburg 16–18 days (incl. border dwell)", "https://navisgroup.com.ua/en/2025/08/27/middle-corridor-vs-classic-routes-from-china-when-is-it-actually-faster-and-for-which-cargo/", "N", ""),
 "ey_titr_2024": ("EY (A. Mussayev), 15 Apr 2024, 'Trans-Caspian International Transport Route', citing the World Bank: maritime route China–Europe 1,500–2,000 USD per FEU, average time 28 to 40 days", "https://ey.com/en_kz/strategy-transactions/trans-caspian-international-transport-route", "P", ""),
 "argus_reportaz_2025_times": ("Argus via report.az (late 2025): Almaty -> Aktau -> Alat -> Poti 20 days, over 30 a few months before", "https://report.az", "N", ""),
 "argus_inbusiness_times": ("Argus via inbusiness.kz (2025 or 2026): Xi'an–Altynkol–Aktau–Alat–Absheron container train 16–21 days in January against 15–20 in December", "https://inbusiness.kz", "N", ""),
 "trend_menafn_2024": ("Trend via MENAFN, 14 Jan 2024: the route train on the Middle Corridor delivers cargo from China to Europe in an estimated 20–25 days on average (with the Xi'an–Baku train of 11 days)", "https://menafn.com/1107722132/First-Container-Train-From-China-Arrives-To-Azerbaijan-Via-Middle-Corridor-In-2024", "N", ""),
 "bte_forum_2025": ("Report via azerbaijan.us, 9 Sep 2025 (Wanxu Dong, Beijing Trans Eurasia International Logistics, Black Sea–Caspian Logistics Forum 2025): in August–October 2024 the transit time Xi'an -> Duisburg on the Middle Corridor averaged 30 days; in November waits at Aktau alone reached 30 days", "https://azerbaijan.us/?p=10205", "N", ""),
 "xinhua_chongqing_istanbul_2025": ("Xinhua via People's Daily, 29 Jul 2025: the first China-Europe Railway Express South Channel train reached Istanbul's Halkalı station on 21 Jul 2025, 22 days after leaving Chongqing on 29 Jun, via Central Asia, the Caspian and Türkiye", "http://en.people.cn/n3/2025/0729/c90000-20346342.html", "N", ""),
 "newsaz_china_iran_2024": ("News.az citing The Times of Central Asia, 31 Jul 2024: test container train Xi'an – Altynkol – Bolashak – Etrek – Tehran (45 forty-foot containers); cargo delivery between China and Iran 'will be reduced to 15 days'; gauge change at Etrek", "https://news.az/news/turkmenistan-launches-new-train-route-from-china-to-iran-via-kazakhstan", "N", ""),
 "xinhua_piraeus_budapest_2017": ("Xinhua via the Institute of European Studies, CASS (Feb 2017): the first two COSCO China–Europe land-sea trains reached Budapest from Piraeus on 29 Jan and 5 Feb 2017; Ningbo -> Piraeus by sea and on to Budapest by rail in 26 days", "http://ies.cssn.cn/english/chinare/cere/201702/t20170227_3432280.shtml", "N", ""),
 "asstra_trend_2024": ("Trend, 17 Feb 2024 (AsstrA director R. Akhmetova): logistics companies choose the Middle Corridor even though so far it can increase the cost of transportation by 1.5 times", "https://en.trend.az/casia/kazakhstan/3863627.html", "N", ""),
 "drewry_wci_2025": ("Drewry World Container Index, Shanghai -> Genoa spot rate per 40' container: 2,193 USD on 13 Nov 2025 (via maritime-economies.eu); 2,300 USD a later week of Nov 2025 (via interiordaily.com)", "https://maritime-economies.eu/index.php/shipping/19-companies/5281-drewrys-world-container-index-decreased-5-to-1-859-per-40ft-container-last-week", "P", ""),
})

# ---------------------------------------------------------------- nodes
NODES = []
def node(id, name, country, kind, lat, lon, cref, cbasis, cnote="", aliases="", locode="", **attrs):
    NODES.append(dict(id=id, name=name, country=country, kind=kind, lat=lat, lon=lon, aliases=aliases, locode=locode, **{k: v[0] for k, v in attrs.items()}))
    src("node", id, "lat", lat, "deg", cbasis, cref, cnote)
    src("node", id, "lon", lon, "deg", cbasis, cref, cnote)
    for k, (v, basis, ref, note) in attrs.items():
        src("node", id, k, v, NODE_UNITS[k], basis, ref, note)
NODE_UNITS = {"handling_h": "h", "handling_usd": "USD/FEU", "border_h": "h", "border_usd": "USD/FEU", "gauge_change_h": "h", "gauge_change_usd": "USD/FEU", "transship_usd": "USD/FEU",
              "handling_dist": "", "handling_min_h": "h", "handling_mode_h": "h", "handling_max_h": "h", "capacity_teu_day": "TEU/day",
              "border_dist": "", "border_min_h": "h", "border_mode_h": "h", "border_max_h": "h"}

def set_node(ident, **attrs):
    """Set (or replace) sourced attributes of a node defined above: its value and its sources row."""
    rec = next(n for n in NODES if n["id"] == ident)
    for k, (v, basis, ref, note) in attrs.items():
        rec[k] = v
        SOURCES[:] = [r for r in SOURCES if not (r["component"] == "node" and r["id"] == ident and r["attribute"] == k)]
        src("node", ident, k, v, NODE_UNITS[k], basis, ref, note)

PORT_H = (6.0, "proxy", "reportaz_baku_2020", "time to discharge a 43-container block train at Baku port, used for ship/rail transshipment")
# A FEU's charge from a 20' figure (no FEU rate found): a 40' box is charged 1.3–2.0 times a 20'
# in the pairs found (two 20' exactly in KTZ's and Latvia's CIS rates and a barge's empty return),
# so each 20' figure is scaled by the ratio of a pair of its own kind, not doubled: a seaport's THC
# (Constanța 130/75 EUR), a water freight (Constanța–Belgrade barge 430/300 EUR) and a Caucasus
# railway's container rate (Azerbaijan Railways in the CIS tariff policy, 49/27 USD).
REFS["cis_tariff_2017"] = ("Tariff Policy of the railways of the CIS member states for international freight, 2017 freight year (docs.cntd.ru, document 420389655), section 6.2, container trains via the Russian Far East ports, westbound: rates per 20'/40' container, Azerbaijan Railways (AZ) 27/49 USD, Turkmenistan (TRK) 344/620 CHF, Kazakhstan (KZH) 1,452/2,904 CHF", "https://docs.cntd.ru/document/420389655", "P", "")
REFS["transnav_yugoagent_2007"] = ("S. Šoškić, Z. Đekić, M. Kresojević, 'Analysis of River–Sea Transport in the Direction of the Danube–Black Sea and the Danube–Rhine–Main', TransNav 8(4), Dec 2014, Table 9 (Yugoagent, 2007): Constanța–Belgrade barge per 20'/40' container: THC Constanța 75/130 EUR, full container 300/430, empty return 50/100, THC Belgrade 65/85", "https://transnav.eu/html,537.html", "P", "")
FEU_THC = round(130 / 75, 4)
FEU_WATER = round(430 / 300, 4)
FEU_RAIL = round(49 / 27, 4)
_THC_NOTE = f"Poti THC 290 USD per 20' (~2018) × {FEU_THC} for a FEU (seaport THC 40'/20' at Constanța, 130/75 EUR, transnav_yugoagent_2007; no FEU rate found)"
THC = (round(290 * FEU_THC), "proxy", "cbw_ge_2018", _THC_NOTE + "; used for every port lacking its own THC")
node("xian", "Xi'an", "CN", "rail_terminal", 34.4471, 108.7520, "openflights", "proxy", "XIY airport used as city proxy (~40 km from Xi'an ILP)", aliases="Xian;Xi'an ILP")
node("urumqi", "Urumqi", "CN", "rail_terminal", 43.9071, 87.4742, "openflights", "proxy", "URC airport used as city proxy", aliases="Ürümqi")
node("khorgos", "Khorgos/Altynkol", "KZ", "border", 44.2222, 80.3800, "ruwiki_khorgos", "proxy", "Khorgos village (KZ side); Altynkol station itself not found", aliases="Altynkol;Khorgos;Horgos;Khorgos Gateway",
     border_h=(34.8, "published", "cpmm_2022", "CPMM TFI1 2022, Horgos (-> Altynkol) rail, outbound"),
     border_usd=(433.0, "computed", "cpmm_2022", "PRC rail TFI2 2022 (120 USD) + KZ rail TFI2 2022 inbound (313 USD)"),
     gauge_change_h=(55/60, "news", "astanatimes_khorgos_2021", "Khorgos Gateway reload of a container train, 55 min average"),
     gauge_change_usd=(329.0, "proxy", "cpmm_2020", "CPMM 2020 gauge-change cost at Dostyk, used for Khorgos"),
     capacity_teu_day=(1000.0, "computed", "astanatimes_khorgos_2021", "Khorgos Gateway handles ~500 containers a day (10–12 trains); counted as 40-foot boxes (2 TEU), as the corridor's block trains carry (trend_xian_baku_2024: 55 forty-foot containers)"))
node("dostyk", "Dostyk/Alashankou", "KZ", "border", 45.2522, 82.4839, "erai_dostyk", "published", "45°15′08″N 82°29′02″E", aliases="Dostyk;Alashankou;Druzhba",
     border_h=(30.5, "published", "cpmm_2022", "CPMM TFI1 2022, Alashankou (-> Dostyk) rail, outbound"),
     border_usd=(433.0, "computed", "cpmm_2022", "PRC rail TFI2 2022 (120 USD) + KZ rail TFI2 2022 inbound (313 USD)"),
     gauge_change_h=(4.25, "news", "silkroadnews_dostyk_2016", "Dostyk train processing 4 h 15 min"),
     gauge_change_usd=(329.0, "published", "cpmm_2020", "CPMM 2020 rail chapter: gauge change at Dostyk"),
     capacity_teu_day=(760.0, "published", "erai_dostyk", "Dostyk station container capacity 760 TEU/day (trains: 15/day on 1520 mm, 12/day on 1435 mm)"))
node("almaty", "Almaty", "KZ", "rail_terminal", 43.3521, 77.0405, "openflights", "proxy", "ALA airport used as city proxy")
node("astana", "Astana", "KZ", "rail_terminal", 51.0222, 71.4669, "openflights", "proxy", "NQZ airport coordinate used as city proxy (city centre not sourced); the road link to the airport carries the sourced 14 km", aliases="Nur-Sultan;Astana city")
node("nqz", "Astana airport (NQZ)", "KZ", "airport", 51.0222, 71.4669, "openflights", "published", "OpenFlights still lists the old code TSE; NQZ since 8 Jun 2020", aliases="NQZ;TSE;Nursultan Nazarbayev International Airport", locode="",
     handling_h=(12.0, "assumption", "", "air cargo acceptance/clearance per airport not found; IATA: door-to-door 6–7 days with only hours in the air; change in a scenario"))
node("aktau", "Aktau port", "KZ", "port", 43.8601, 51.0920, "openflights", "proxy", "SCO airport (~25 km N of the port) used as proxy", aliases="Aktau;Aqtau",
     handling_h=PORT_H, handling_usd=THC,
     capacity_teu_day=(round(140000 / 365, 2), "computed", "aktau_teu_capacity", "140,000 TEU/yr / 365: the central figure before the 2025–26 expansion (to 240,000); sources disagree (40,000–300,000)"))
node("kuryk", "Kuryk port", "KZ", "port", 43.20, 51.65, "ruwiki_kuryk", "proxy", "Kuryk village (the port is ~20 km from it)", aliases="Kuryk;Quryq",
     handling_dist=("triangular", "news", "astanatimes_kuryk_2021", "the source gives a range, 6–8 h ferry processing cycle (single-tier ferry): triangular"),
     handling_min_h=(6.0, "news", "astanatimes_kuryk_2021", "ferry processing cycle 6–8 h: least"),
     handling_mode_h=(7.0, "computed", "astanatimes_kuryk_2021", "midpoint of the 6–8 h ferry processing cycle, taken as the most likely value"),
     handling_max_h=(8.0, "news", "astanatimes_kuryk_2021", "ferry processing cycle 6–8 h: greatest"))
node("alat", "Baku port (Alat)", "AZ", "port", 39.94, 49.41, "alat_location", "assumption", "no sourced coordinate; placed ~65 km SSW of Baku centre consistent with 'Alat is 65–75 km south of Baku'; geocode before precise use", aliases="Alat;Alyat;Baku;Baku port;Baku International Sea Trade Port",
     handling_h=(6.0, "news", "reportaz_baku_2020", "a 43-container block train discharged at Baku port in 6 h"), handling_usd=THC)
node("tbilisi", "Tbilisi", "GE", "rail_terminal", 41.6692, 44.9547, "openflights", "proxy", "TBS airport used as city proxy")
node("poti", "Poti port", "GE", "port", 42.1550, 41.6544, "wiki_poti_port", "published", aliases="Poti",
     handling_h=PORT_H, handling_usd=(round(290 * FEU_THC), "computed", "cbw_ge_2018", _THC_NOTE),
     capacity_teu_day=(round(545297 / 365, 2), "proxy", "seanews_poti_2025", "2024 throughput 545,297 TEU / 365, a lower bound of the capacity (the 400,000 TEU listed for 2015 is below it; no current capacity found)"))
node("batumi", "Batumi port", "GE", "port", 41.649889, 41.657083, "wiki_ge_ports", "published", aliases="Batumi",
     handling_h=PORT_H, handling_usd=THC,
     capacity_teu_day=(round(100000 / 365, 2), "computed", "wiki_ge_ports", "container capacity 100,000 TEU/yr (2015 data) / 365"))
node("constanta", "Constanța port", "RO", "port", 44.1667, 28.6500, "nga_wpi", "published", "UN/LOCODE RO CND", aliases="Constanta;Constanța;Constantza", locode="ROCND",
     handling_h=PORT_H, handling_usd=THC)
node("belgrade", "Belgrade", "RS", "rail_terminal", 44.7936, 20.4539, "dewiki_beograd_centar", "published", "Belgrade Centar (Prokop) station; the intermodal terminal is not sourced", aliases="Beograd;Belgrade Centar")
node("beg", "Belgrade airport (BEG)", "RS", "airport", 44.8184, 20.3091, "openflights", "published", aliases="BEG;Nikola Tesla Airport",
     handling_h=(12.0, "assumption", "", "air cargo acceptance/clearance per airport not found; IATA: door-to-door 6–7 days with only hours in the air; change in a scenario"))

# ---------------------------------------------------------------- issue 4: the whole corridor (nodes)
# Coordinates of cities without a sourced station or port position come from airportsdata
# (the airport stands in for the city, as for the OpenFlights proxies above).
import airportsdata
from importlib.metadata import version as _version
AP = airportsdata.load("IATA")
AP_REF = "airportsdata"
REFS[AP_REF] = (f"airportsdata {_version('airportsdata')} (Python package; airport coordinates by IATA code)", "https://pypi.org/project/airportsdata/", "P", "")
REFS["searoute"] = (f"searoute {_version('searoute')} (Python package; shortest sea route on the marnet network)", "https://pypi.org/project/searoute/", "E", "")
REFS["pyproj"] = (f"pyproj {_version('pyproj')} Geod (WGS84 ellipsoid) geodesic length", "https://pyproj4.github.io/pyproj/", "E", "")
REFS.update({
 "wiki_halkali": ("Wikipedia, 'Halkalı railway station': 41°01′08″N 28°46′00″E; departure terminal for freight trains to Europe", "https://en.wikipedia.org/wiki/Halkalı_railway_station", "P", ""),
 "wiki_kapikule": ("Wikipedia, 'Kapıkule railway station': 41.71889 N, 26.36111 E", "https://en.wikipedia.org/wiki/Kapıkule_railway_station", "P", ""),
 "wiki_akhalkalaki": ("Wikipedia (FR/CZ), 'Akhalkalaki': 41°24′20″N 43°29′10″E (town centre)", "https://fr.wikipedia.org/wiki/Akhalkalaki", "P", ""),
 "pkp_malaszewicze": ("PKP station list (public JSON, station 5100215 Małaszewicze): 52.026391 N, 23.527782 E", "", "P", ""),
 "wikitravel_nis": ("Niš city centre 43°19′29″N 21°54′12″E (wikitravel-type page; wikimapia 43°19′24″N 21°54′46″E)", "", "N", ""),
 "wiki_btk": ("Wikipedia, 'Baku–Tbilisi–Kars railway': 826 km; break of gauge at Akhalkalaki, km 105 from Kars", "https://en.wikipedia.org/wiki/Baku–Tbilisi–Kars_railway", "P", ""),
 "railwaymagazine_btk": ("railwaymagazine.co.uk: BTK new standard-gauge track 76 km Kars–Kartsakhi + 29 km to Akhalkalaki", "https://www.railwaymagazine.co.uk", "N", ""),
 "dayaz_btk_2025": ("Day.az, 4 Oct 2025 (BTK MoU of 1 Oct 2025): delivery norms Gardabani–Akhalkalaki ≤24 h, Kars–Istanbul ≤70 h", "https://news.day.az/economy/1785296.html", "C", ""),
 "railjournal_marmaray": ("Railway Journal (first China–Turkey–Europe train via Marmaray): Marmaray Halkalı–Gebze 63 km", "https://www.railjournal.com", "N", ""),
 "wiki_nis_presevo": ("de.wikipedia, 'Bahnstrecke Niš–Preševo': 165 km (timetable, 1 Jan 2024)", "https://de.wikipedia.org/wiki/Bahnstrecke_Niš–Preševo", "P", ""),
 "mia_mk_2024": ("MIA (mia.mk), 13 Feb 2024 (Minister Vesić): planned fast line 135 km in Serbia + 50 km Tabanovce–Skopje", "https://mia.mk", "C", ""),
 "rgazette_belgrade_nis": ("Railway Gazette, 10 Mar 2024: Belgrade–Niš railway 230 km", "https://www.railwaygazette.com", "N", ""),
 "plutonlogistics_2014": ("plutonlogistics.com (Serbian Railways), Mar 2014: first COSCO container train left Piraeus in the evening, expected at Preševo next day 18:00–19:00 (≈24 h)", "https://plutonlogistics.com", "N", ""),
 "rcg_2018": ("Rail Cargo Group blog, 17–18 May 2018: Budapest BILK → Kapıkule via Romania and Bulgaria in 3 days", "https://www.railcargo.com", "P", ""),
 "verkehrsrundschau_2017": ("verkehrsrundschau.de, Mar 2017 (Eurogate Intermodal): Munich → Budapest BILK block train in less than 24 h", "https://www.verkehrsrundschau.de", "P", ""),
 "serbianrailways_2014": ("serbianrailways.com (DG Simonović), 2014: target border layover per Piraeus train 'much shorter than three hours'", "https://www.serbianrailways.com", "C", ""),
 "orient_tm_2022": ("orient.tm, 20 Jun 2022: KZ–TM–IR–TR rail 6,336 km (KZ 3,185; TM 700; IR 1,517; TR 934), test train 12 days", "https://orient.tm", "N", ""),
 "shippingherald_piraeus": ("shippingherald.com (COSCO Netherlands voyage): Shanghai (Yangshan)–Piraeus 7,878 nm (14,590 km), 22 days (16 Apr–7 May)", "https://shippingherald.com", "N", ""),
 "porteconomics_sea": ("Notteboom, Pallis & Rodrigue, Port Economics, Management and Policy (porteconomicsmanagement.org): Shanghai–Rotterdam ~27 days at 16 knots without calls", "https://porteconomicsmanagement.org", "P", ""),
 "argus_reportaz_2025": ("Argus via report.az (late 2025), 'Стоимость перевозок по ТМТМ продолжает снижаться третий месяц подряд': Shanghai–Poti by sea 2,000–2,500 USD/FEU, 35–40 days; a 40HQ to Almaty and Aktau 5,350–5,400 USD (October 5,600–5,700); Mersin–Poti 6,800–7,000; several thousand empty containers idle in Azerbaijan, Georgia and Kazakhstan at the end of October", "https://report.az/ru/infrastruktura/stoimost-perevozok-po-tmtm-prodolzhaet-snizhatsya-tretij-mesyac-podryad", "N", ""),
 # checked for the China -> Aktau rate (calibration V23) and its cross-checks; cited by corridor/calibrate.py
 "ndrc_rail_2008": ("Xinhua via china.org.cn (chinagate), 3 Jul 2008: NDRC and the Ministry of Railways raise rail freight rates; a 40-foot container 429.8 CNY per box plus 1.6374 CNY per km (20-foot: 219 + 1.0374)", "http://chinagate.cn/economics/2008-07/03/content_15925339.htm", "P", ""),
 "ndrc_rail_2015": ("Xinhua via china.org.cn, 30 Jan 2015: NDRC lifts the benchmark rail freight rate from 14.51 to 15.51 fen per tonne-km and lets it float up to 10 %", "http://en.chinagate.cn/2015-01/30/content_34698975.htm", "P", ""),
 "cxc_china_2024": ("Container xChange via freshplaza.com, Jun 2024: average price of a cargo-worthy 40'HC in China 3,600 USD (about 1,700 in March–April 2024); one-way pick-up charges Shanghai–Rotterdam 500 (Nov 2023) to 1,700 USD (Jun 2024)", "https://freshplaza.com/north-america/article/9639794/container-prices-and-leasing-rates-surge-in-china", "N", ""),
 "cxc_moscow_2023": ("Container xChange via logupdateafrica.com, 29 Sep 2023: about 150,000 surplus containers in Russia; a 40'HC in Moscow 580 USD (4,175 in Feb 2022); all containers Russia -> China go with a pick-up charge", "https://www.logupdateafrica.com/shipping/150000-containers-stuck-in-russia-container-xchange-1349920", "N", ""),
 "zhetygen_tariffs": ("Zhetygen container terminal (TLC, Almaty region), tariffs: terminal handling of a loaded 40'HC received by rail 44,900 KZT, dispatched 44,900 KZT", "https://tlcz.kz/tariffs_kk", "P", ""),
 "railagent_kzh_2022": ("railagent.ru, telegram 2741 (Ukrzaliznytsia as CIS Tariff Policy office, 9 Feb 2022): KZH special rates in CHF per private container, China -> Europe, for 2022 (table values not in the excerpt); telegram 3333 (KTZ Freight, 16 Apr 2025): KZH change no. 46 for 2025", "http://railagent.ru/manuals/telegram/2741", "P", ""),
 "pic_provision_vedomosti": ("kpiz.ru citing Vedomosti and the Price Index Center (May, year not given): rail China -> Moscow up 300 USD on average, Xi'an–Moscow 5,000 and Chongqing–Moscow 5,050 USD per 40'; container provision rates in China up to 1,800–2,000 USD in May from 1,300–1,500 in April (container shortage)", "https://kpiz.ru/analitiki-zafiksirovali-rezkoe-podorojanie-konteinernyh-perevozok-iz-knr-v-rf", "N", ""),
 "railfreight_russia_2024": ("RailFreight.com, 30 Sep 2024, 'Russia drowning in Chinese containers, but rates may grow by 10 per cent' (citing RZD-Partner): empties stranded in Russia by the China trade imbalance; forwarders buy new containers; Chinese operators charge up to 400 USD more per container for early October", "https://www.railfreight.com/railfreight/2024/09/30/russia-drowning-in-chinese-containers-but-rates-may-grow-by-10-per-cent/", "N", ""),
 "erai_2018": ("gca.satrapia.com, 'Eurasian Rail Alliance Index' (UTLC ERA at CILF, Oct 2018): ERAI 2,783 USD, ERAI U-East 2,667, ERAI U-West 2,875 (Sep 2018); the index weights loaded and empty container moves (erai_method)", "http://gca.satrapia.com/eurasian-rail-alliance-index", "N", ""),
 "pic_china_russia_2025": ("deliver-2.com citing the Price Index Center, autumn 2025: rail from China to Russia up 10 % since the start of autumn to 4,500–5,100 USD per 40-foot container (inspections at the Kazakh border)", "http://deliver-2.com/news/cargo-transportation/rising-prices-for-container-shipments-from-china-consequences-of-inspections-at-the-border-with-kazakhstan", "N", ""),
 "interrail_2020": ("interrail.ru tariff, 1 Apr 2020: Sergeli (Tashkent) – Aktau ferry – Baku – Akhalkalaki – Derince (Istanbul) 4,284.32 USD per 40' (via Türkmenbaşy–Alat 2,972.33), with origin station fees, port charges, feeder, security and forwarding; destination station fees excluded", "https://www.interrail.ru/ru/News/TarifDetail?postId=442", "P", ""),
 "index1520_wci_2024": ("index1520.com (ERAI page, Jul 2024 snapshot): Drewry WCI 5,085 USD/FEU alongside the ERAI index (Red Sea diversion period)", "https://index1520.com/en/index", "P", ""),
 "erai_h1_2025": ("1520international.com, Sep 2025: ERAI (1520-mm segment) average 3,250 USD/FEU in H1 2025", "https://1520international.com", "P", ""),
 "eaeu_customs": ("Treaty on the Eurasian Economic Union (2014): Kazakhstan, Russia and Belarus form one customs territory (no customs clearance at their mutual borders)", "https://www.eaeunion.org", "P", ""),
 "cpmm_2022_t36": ("CAREC CPMM Annual Report 2022, Table 3.6: Sarpi (GE–TR) road BCP, outbound 20.8 h and 10 USD (2022)", "https://cpmm.carecprogram.org", "P", ""),
 "uic_khorgos_2019": ("UIC e-news, 17 Sep 2019: Altynkol locomotive turnaround 5 h 30 min average", "https://uic.org/com/enews", "P", ""),
})
node("chongqing", "Chongqing", "CN", "rail_terminal", 29.7192, 106.6420, "openflights", "proxy", "CKG airport used as city proxy", aliases="Chungking")
node("lianyungang", "Lianyungang port", "CN", "port", 34.7333, 119.4500, "nga_wpi", "published", "UN/LOCODE CN LYG; origin of TITR trains to Istanbul", aliases="Lianyungang", locode="CNLYG", handling_h=PORT_H, handling_usd=THC)
node("shanghai", "Shanghai port", "CN", "port", 31.2167, 121.5000, "nga_wpi", "published", "UN/LOCODE CN SGH", aliases="Shanghai;Yangshan", locode="CNSHA", handling_h=PORT_H, handling_usd=THC)
def ap_node(id, name, country, kind, iata, note, **kw):
    a = AP[iata]
    node(id, name, country, kind, round(a["lat"], 6), round(a["lon"], 6), AP_REF, "proxy", f"{iata} airport ({a['name']}) used as proxy: {note}", **kw)
ap_node("ningbo", "Ningbo port", "CN", "port", "NGB", "port coordinate not in the sources found", aliases="Ningbo;Ningbo-Zhoushan", handling_h=PORT_H, handling_usd=THC)
node("piraeus", "Piraeus port", "GR", "port", 37.9333, 23.6500, "nga_wpi", "published", "UN/LOCODE GR PIR", aliases="Piraeus;Pireas", locode="GRPIR", handling_h=PORT_H, handling_usd=THC,
     transship_usd=(0.0, "proxy", "argus_reportaz_2025", "liner to Black Sea feeder under one through bill of lading: Argus quotes Shanghai–Poti by sea (2,000–2,500 USD/FEU) as one port-to-port rate, so the transshipment on the way is in it (the carrier pays the terminal); THC (handling_usd) is paid only where a box is imported or exported"))
node("istanbul", "Istanbul (Halkalı)", "TR", "rail_terminal", 41.01889, 28.76667, "wiki_halkali", "published", "Halkalı station, European side, end of Marmaray", aliases="Istanbul;Halkali;Halkalı")
node("kapikule", "Kapıkule (TR–BG)", "TR", "border", 41.71889, 26.36111, "wiki_kapikule", "published", aliases="Kapikule;Kapitan Andreevo;Svilengrad",
     border_h=(3.0, "proxy", "serbianrailways_2014", "rail freight dwell at Kapıkule not found; Serbian Railways' target layover per Piraeus train ('much shorter than three hours') used as an upper-bound proxy for Balkan rail borders"))
ap_node("sofia", "Sofia", "BG", "rail_terminal", "SOF", "city; station not sourced")
node("nis", "Niš", "RS", "rail_terminal", 43.3247, 21.9033, "wikitravel_nis", "news", "city centre; station and Niš yard not sourced", aliases="Nis")
ap_node("skopje", "Skopje", "MK", "rail_terminal", "SKP", "city; station not sourced")
node("akhalkalaki", "Akhalkalaki", "GE", "rail_terminal", 41.4056, 43.4861, "wiki_akhalkalaki", "proxy", "town centre; the BTK gauge-change station is not separately sourced",
     gauge_change_h=(4.25, "proxy", "silkroadnews_dostyk_2016", "gauge change time at Akhalkalaki not found; Dostyk train processing (4 h 15 min) used"),
     gauge_change_usd=(329.0, "proxy", "cpmm_2020", "gauge change cost at Akhalkalaki not found; CPMM 2020 gauge change at Dostyk used"))
ap_node("kars", "Kars", "TR", "border", "KSY", "city; Turkish rail border clearance of BTK traffic (Kartsakhi crossing) modelled here",
        border_h=(20.8, "proxy", "cpmm_2022_t36", "no rail BCP figure for Kartsakhi/Kars; CPMM 2022 Sarpi (GE–TR road) outbound time, the only GE–TR crossing measured"),
        border_usd=(10.0, "proxy", "cpmm_2022_t36", "CPMM 2022 Sarpi (GE–TR road) outbound cost, the only GE–TR crossing measured"))
ap_node("moscow", "Moscow", "RU", "rail_terminal", "SVO", "routing point of the Northern route in Russia", aliases="Moskva")
ap_node("minsk", "Minsk", "BY", "rail_terminal", "MSQ", "routing point of the Northern route in Belarus")
ap_node("brest", "Brest (BY–PL)", "BY", "border", "BQT", "proxy for the Brest/Terespol crossing (as in domain-data)", aliases="Brest;Terespol",
        border_h=(40.6, "proxy", "cpmm_2022", "Brest/Terespol rail dwell not found; CAREC-wide rail TFI1 2022 (40.6 h) used"),
        border_usd=(215.0, "proxy", "cpmm_2022", "CAREC-wide rail TFI2 2022 (215 USD) used"))
node("malaszewicze", "Małaszewicze", "PL", "rail_terminal", 52.026391, 23.527782, "pkp_malaszewicze", "published", "gauge change 1520/1435 mm", aliases="Malaszewicze",
     gauge_change_h=(4.25, "proxy", "silkroadnews_dostyk_2016", "gauge change time at Małaszewicze not found; Dostyk train processing (4 h 15 min) used"),
     gauge_change_usd=(329.0, "proxy", "cpmm_2020", "gauge change cost at Małaszewicze not found; CPMM 2020 gauge change at Dostyk used"))
ap_node("warsaw", "Warsaw", "PL", "rail_terminal", "WAW", "city", aliases="Warszawa")
ap_node("duisburg", "Duisburg", "DE", "rail_terminal", "DUS", "Düsseldorf airport stands in for Duisburg (as in domain-data)", aliases="Duisport")
ap_node("budapest", "Budapest", "HU", "rail_terminal", "BUD", "city; BILK terminal not sourced", aliases="BILK")
ap_node("ashgabat", "Ashgabat", "TM", "rail_terminal", "ASB", "routing point of the southern rail route; the 1520/1435 break at Etrek/Incheh Borun (not located in the sources) is modelled here",
        gauge_change_h=(4.25, "proxy", "silkroadnews_dostyk_2016", "gauge change time at the TM–IR border not found; Dostyk train processing (4 h 15 min) used"),
        gauge_change_usd=(329.0, "proxy", "cpmm_2020", "gauge change cost at the TM–IR border not found; CPMM 2020 gauge change at Dostyk used"))
ap_node("tehran", "Tehran", "IR", "rail_terminal", "THR", "routing point of the southern rail route")
# Sea waypoints: vertices of the searoute geometry, so that the Suez and Cape alternatives are
# separate paths in the graph (k-shortest paths and route templates can tell them apart).
def _sea(a, b, restrictions=("northwest",)):
    """searoute between two [lon, lat]; refuses any path through the Caspian or the Volga–Don canal."""
    r = sr.searoute(a, b, units="km", restrictions=list(restrictions))
    coords = r.geometry["coordinates"]
    for lon, lat in coords:
        assert not (46.0 <= lon <= 56.0 and 36.0 <= lat <= 47.5), f"sea route {a}->{b} enters the Caspian"
        assert not (38.5 <= lon <= 46.0 and 47.0 <= lat <= 50.0), f"sea route {a}->{b} enters the Volga–Don canal"
    return round(r.properties["length"], 1), coords
_SH = [121.5000, 31.2167]; _PI = [23.6500, 37.9333]
_, _via_suez = _sea(_SH, _PI)
_canal = [c for c in _via_suez if 32.2 <= c[0] <= 32.7 and 29.9 <= c[1] <= 31.3]
SUEZ = _canal[len(_canal) // 2]
_, _via_cape = _sea(_SH, _PI, ("northwest", "suez", "babalmandab"))
CAPE = min((c for c in _via_cape if 10.0 <= c[0] <= 30.0), key=lambda c: c[1])
node("suez", "Suez Canal", "EG", "waypoint", round(SUEZ[1], 6), round(SUEZ[0], 6), "searoute", "computed", "middle vertex of searoute's Shanghai–Piraeus path inside the canal (a routing point, not a port)", aliases="Suez")
node("cape", "Cape of Good Hope", "ZA", "waypoint", round(CAPE[1], 6), round(CAPE[0], 6), "searoute", "computed", "southernmost vertex of searoute's Shanghai–Piraeus path with Suez and Bab-el-Mandeb closed (a routing point)", aliases="Cape;Good Hope")

# ---------------------------------------------------------------- issue 13: border crossings everywhere they exist
# One figure per crossing, for the westbound direction (the model has one clearance time per node,
# for both directions), at the node where a shipment passes the border: CAREC CPMM TFI1 (time) and
# TFI2 (cost) for both sides of the crossing where CPMM measures them, else the nearest measured
# proxy, named in each row. CPMM publishes means only: each crossing's time is drawn from a
# triangular distribution from half to one and a half times the mean (the mean is kept).
REFS.update({
 "cpmm_2023_prc": ("CAREC CPMM Annual Report 2023 (web edition), People's Republic of China, Table 6.7: rail TFI1 2023 outbound 14.0 h, inbound 16.3 h; TFI2 outbound 40 USD, inbound 91 USD", "https://cpmm.carecprogram.org/?p=477", "P", ""),
 "cpmm_2022_kz": ("CAREC CPMM Annual Report 2022, Kazakhstan, Table 3.7: rail TFI1 2022 outbound 6.8 h, inbound 78.0 h; TFI2 outbound 185 USD, inbound 313 USD", "https://cpmm.carecprogram.org/2022-report/kazakhstan", "P", ""),
 "cpmm_2022_az": ("CAREC CPMM Annual Report 2022, Azerbaijan, Table 3.2 (road BCPs, 2022): Baku port outbound 1.8 h / 36 USD, inbound 0.2 h / 24 USD; Krasny Most (Böyük Kəsik) outbound 13.6 h / 43 USD, inbound 3.1 h / 69 USD", "https://cpmm.carecprogram.org", "P", ""),
 "cpmm_2022_ge": ("CAREC CPMM Annual Report 2022, Georgia, Table 3.6 (road BCPs, 2022): Tsiteli Khidi outbound 24.2 h / 92 USD, inbound 1.8 h / 44 USD", "https://cpmm.carecprogram.org/2022-report/georgia", "P", ""),
})
BORDER_SPREAD = "CPMM publishes means only; the spread from half to one and a half times the mean is assumed (the annual CPMM means moved by more than that between years: PRC rail outbound 64.7 h in 2021, 33.9 in 2022, 14.0 in 2023); change in a scenario"
def border(ident, mean, basis, ref, note, usd=None):
    """Clearance time (triangular around the sourced mean) and charge of the crossing at node ``ident``."""
    lo, hi = round(mean * 0.5, 3), round(mean * 1.5, 3)
    attrs = dict(border_h=(0.0, "definition", "", "0: the clearance time is the distribution border_dist (mean " + f"{mean:g} h)"),
                 border_dist=("triangular", "assumption", "", BORDER_SPREAD),
                 border_min_h=(lo, "assumption", "", f"half the mean {mean:g} h; " + BORDER_SPREAD),
                 border_mode_h=(mean, basis, ref, note),
                 border_max_h=(hi, "assumption", "", f"one and a half times the mean {mean:g} h; " + BORDER_SPREAD))
    if usd is not None:
        attrs["border_usd"] = usd
    set_node(ident, **attrs)

REFS["chinadaily_alataw_2019"] = ("China Daily, Jun 2019, 'Freight trains on track to drive Xinjiang economy' (Alataw Pass customs head): China Railway Express trains now stop at the port for 6 to 10 hours, from 12 before", "https://www.chinadaily.com.cn", "N", "")
REFS["cpmm_2022_prc_bcp"] = ("CAREC CPMM Annual Report 2022, People's Republic of China (rail BCPs): time to clear the BCP (TFI1: from entry to exit through both countries' border posts, waiting included), rail, outbound: Horgos (-> Altynkol) 58.7 h (2021), 34.8 h (2022); Alashankou (-> Dostyk) 80.2 h (2021), 30.5 h (2022); delays from SPS controls, regular trains side-tracked for China–Europe expresses, wagon shortage", "https://cpmm.carecprogram.org/2022-report/", "P", "")
REFS["cpmm_2023_kz"] = ("CAREC CPMM Annual Report 2023 (web edition), Kazakhstan, Table 6.3: rail TFI1 2023 69.7 h (67.4 in 2022); rail TFIs deteriorated, with longer delays and higher costs at Dostyk and Altynkol (gauge change, documents)", "https://cpmm.carecprogram.org/?p=466", "P", "")
_CN_KZ_NOTE = ("CPMM's per-BCP time for this crossing (TFI1 covers entry to exit through both countries' posts, so the Chinese exit and the Kazakh entry together), rail, outbound (China -> Kazakhstan), 2022, the latest per-BCP year found; "
               "used rather than the PRC country figure of 2023 (14.0 h, cpmm_2023_prc, all Chinese rail exits), because CPMM 2023 reports that rail times at Dostyk and Altynkol got worse in 2023 (cpmm_2023_kz); "
               "the spread holds the 6–10 h stop of China Railway Express trains at Alataw Pass (chinadaily_alataw_2019). CPMM's Kazakh rail inbound 78.0 h (2022, cpmm_2022_kz, all rail freight incl. wagonload) is not added on top: "
               "the per-BCP figure already covers the Kazakh side. Eastbound the same figure is used (no per-BCP inbound value found)")
_CN_KZ_USD = (353.0, "computed", "cpmm_2023_prc", "PRC rail exit 40 USD (CPMM 2023, outbound) + Kazakh rail entry 313 USD (CPMM 2022, inbound, cpmm_2022_kz)")
border("khorgos", 34.8, "published", "cpmm_2022_prc_bcp", "Horgos (-> Altynkol): " + _CN_KZ_NOTE, usd=_CN_KZ_USD)
border("dostyk", 30.5, "published", "cpmm_2022_prc_bcp", "Alashankou (-> Dostyk): " + _CN_KZ_NOTE, usd=_CN_KZ_USD)
_KZ_EXIT = ("proxy", "cpmm_2022_kz", "Kazakh exit by sea: CPMM 2022 Kazakh rail outbound clearance (all rail exits; the ports' own rail figure not found)")
_KZ_EXIT_USD = (185.0, "proxy", "cpmm_2022_kz", "CPMM 2022 Kazakh rail outbound clearance cost (all rail exits)")
border("aktau", 6.8, *_KZ_EXIT, usd=_KZ_EXIT_USD)
border("kuryk", 6.8, *_KZ_EXIT, usd=_KZ_EXIT_USD)
border("alat", 0.2, "proxy", "cpmm_2022_az", "Azerbaijani entry at Baku port: CPMM 2022 Baku port BCP inbound (road; no rail figure published)",
       usd=(24.0, "proxy", "cpmm_2022_az", "CPMM 2022 Baku port BCP inbound cost (road)"))
border("tbilisi", 15.4, "proxy", "cpmm_2022_az", "Azerbaijan–Georgia rail crossing Böyük Kəsik–Gardabani (no node of its own; every modelled route through Tbilisi crosses it): no rail figure published; the road BCP at the same border in 2022, Azerbaijani exit at Krasny Most 13.6 h (cpmm_2022_az) + Georgian entry at Tsiteli Khidi 1.8 h (cpmm_2022_ge)",
       usd=(87.0, "proxy", "cpmm_2022_az", "road BCP at the same border in 2022: Krasny Most outbound 43 USD (cpmm_2022_az) + Tsiteli Khidi inbound 44 USD (cpmm_2022_ge)"))
_GE_EXIT = ("proxy", "cpmm_2022_az", "Georgian exit by sea: no Georgian port figure published; CPMM 2022 Baku port BCP outbound (road), the only port BCP CPMM measures on the corridor")
_GE_EXIT_USD = (36.0, "proxy", "cpmm_2022_az", "CPMM 2022 Baku port BCP outbound cost (road), the only port BCP CPMM measures on the corridor")
border("poti", 1.8, *_GE_EXIT, usd=_GE_EXIT_USD)
border("batumi", 1.8, *_GE_EXIT, usd=_GE_EXIT_USD)
border("kars", 20.8, "proxy", "cpmm_2022_t36", "no rail BCP figure for Kartsakhi/Kars; CPMM 2022 Sarpi (GE–TR road) outbound time, the only GE–TR crossing measured")
border("brest", 40.6, "proxy", "cpmm_2022", "Brest/Terespol rail dwell not found; CAREC-wide rail TFI1 2022 (40.6 h) used")
_BALKAN = ("proxy", "serbianrailways_2014", "rail freight dwell at the Balkan borders not found; Serbian Railways' target layover per Piraeus train ('much shorter than three hours') used as an upper-bound proxy")
border("kapikule", 3.0, *_BALKAN)
border("nis", 3.0, "proxy", "serbianrailways_2014", "Serbian entry from Bulgaria (Dimitrovgrad) and from North Macedonia (Tabanovce/Preševo), both on the lines into Niš: " + _BALKAN[2])
border("skopje", 3.0, "proxy", "serbianrailways_2014", "North Macedonian entry from Greece (Idomeni/Gevgelija), on the line Piraeus–Skopje: " + _BALKAN[2])
_SOUTH_USD = "CAREC-wide rail TFI2 2022 (215 USD per crossing)"
border("ashgabat", 81.2, "proxy", "cpmm_2022", "two crossings modelled at this node, Kazakhstan–Turkmenistan (Bolashak–Serhetyaka) and Turkmenistan–Iran (Serakhs or Incheh Borun): no figure found for either (CPMM has no partner in Turkmenistan); CAREC-wide rail TFI1 2022 (40.6 h) for each",
       usd=(430.0, "proxy", "cpmm_2022", "two crossings: " + _SOUTH_USD + " each"))
border("tehran", 40.6, "proxy", "cpmm_2022", "Iran–Türkiye rail crossing (Razi–Kapıköy), modelled at this node: no figure found; CAREC-wide rail TFI1 2022 (40.6 h)",
       usd=(215.0, "proxy", "cpmm_2022", _SOUTH_USD))
REFS["xinhua_gac_2023"] = ("Xinhua via People's Daily, 1 Mar 2023 (General Administration of Customs): overall customs clearance time in 2022, imports 32.02 h, exports 1.03 h", "http://en.people.cn/n3/2023/0301/c90000-10214461.html", "N", "")
for port in ("shanghai", "ningbo", "lianyungang"):
    border(port, 1.03, "published", "xinhua_gac_2023", "Chinese export clearance by sea: GAC's overall customs clearance time for exports in 2022 (1.03 h)")
_EU_SEA = ("proxy", "cpmm_2022_az", "EU entry by sea (transit declaration): no figure found; CPMM 2022 Baku port BCP inbound (road), the only sea-port entry CPMM measures on the corridor")
_EU_SEA_USD = (24.0, "proxy", "cpmm_2022_az", "CPMM 2022 Baku port BCP inbound cost (road)")
border("constanta", 0.2, *_EU_SEA, usd=_EU_SEA_USD)
border("piraeus", 0.2, *_EU_SEA, usd=_EU_SEA_USD)
border("belgrade", 3.0, "proxy", "serbianrailways_2014", "Serbian entry from the EU (from Hungary at Kelebija/Subotica, from Romania at Vršac), on the lines into Belgrade: " + _BALKAN[2])
border("nqz", 4.6, "proxy", "cpmm_2022_kz", "Kazakh customs for air cargo at Astana airport: no airport figure found; CPMM 2022 Kazakh road inbound clearance (4.6 h), the nearest measured Kazakh entry (the airport's handling_h assumption covers acceptance)")
border("astana", 6.8, "proxy", "cpmm_2022_kz", "Kazakh rail exit to Russia (within the Eurasian customs union, so no customs clearance, eaeu_customs; the rail border formalities remain): CPMM 2022 Kazakh rail outbound (all rail exits)",
       usd=_KZ_EXIT_USD)

NI = {n["id"]: n for n in NODES}
def _geo_km(a, b):
    return G.inv(NI[a]["lon"], NI[a]["lat"], NI[b]["lon"], NI[b]["lat"])[2] / 1000.0

# ---------------------------------------------------------------- links
LINKS = []
DETOUR = (1.22, "computed", "pyproj", "median ratio of sourced rail length to geodesic on four lines of this network: Urumqi–Alashankou 460/414 (1.11), Tbilisi–Poti 310/279 (1.11), Xi'an–Almaty 3866/2902 (1.33), Almaty–Astana 1350/951 (1.42); see wiki_northern_xinjiang, jrtr_georgia, chinadaily_xian_almaty_2013, talgo_kz")

# Rail links follow the vendored Natural Earth railway lines (geodata/rail_lines.geojson, made by
# build_rail_lines.py): shortest path between the nearest line vertices of the two end nodes. The path
# stays in the end nodes' countries (no Uzbek detour between two Kazakh nodes), and it
# must pass a sanity rule, else the link keeps its straight segment and is listed in RAIL_STRAIGHT:
# within RAIL_SOURCED_RATIO of a sourced length, or at most RAIL_GEODESIC_MAX times the geodesic.
from rail_paths import RailNet
REFS["ne_rail"] = ("Natural Earth 1:10m Cultural Vectors, 'Railroads' (public domain), vendored for the corridor in geodata/rail_lines.geojson; shortest path along the lines, geodesic (WGS84) length", "https://www.naturalearthdata.com/downloads/10m-cultural-vectors/railroads/", "P", "")
RAILNET = RailNet(HERE.parent / "rail_lines.geojson")
from shapely import Point, STRtree, unary_union
from shapely.geometry import shape as _shape
_OUTLINES = [_shape(f["geometry"]) for f in json.loads((HERE.parent / "countries.geojson").read_text(encoding="utf-8"))["features"]]
_OUTLINE_TREE = STRtree(_OUTLINES)
RAIL_HOME_DEG = 0.3
def _home(a, b):
    """The countries of a link's end nodes (outlines within RAIL_HOME_DEG of a node; the 1:110m outlines are coarse), widened by RAIL_HOME_DEG."""
    hits = {int(i) for n in (a, b) for i in _OUTLINE_TREE.query(Point(NI[n]["lon"], NI[n]["lat"]).buffer(RAIL_HOME_DEG), predicate="intersects")}
    return unary_union([_OUTLINES[i] for i in hits]).buffer(RAIL_HOME_DEG) if hits else None
REFS["zakon_beyneu_2014"] = ("Zakon.kz (BNews.kz), 2014: the Beyneu–Zhezkazgan railway (opened Aug 2014) shortens the access to the port of Aktau by 600 km on average", "https://zakon.kz/amp/redaktsiia-zakonkz/4631502-v-kazakhstane-do-konca-2014-goda.html", "N", "")
# Links whose path the layer draws over lines that newer ones have shortened: the geometry is the
# layer's path (the country split follows it), the length stays geodesic × detour.
RAIL_LENGTH_NOT_FROM_LINES = {
    ("almaty", "aktau"): ("zakon_beyneu_2014", "the layer's path runs over the pre-2014 lines (about 3,190 km); the Shalkar–Beyneu line of 2014, not in the layer, shortens the way to Aktau by about 600 km on average"),
}
RAIL_SOURCED_RATIO = (0.8, 1.25)
RAIL_GEODESIC_MAX = 2.0
RAIL_STRAIGHT = {}  # "a-b": why the link stayed a straight segment
_RAIL_CACHE = {}
def rail_path(a, b, sourced_km=None):
    """The accepted Natural Earth path from a to b (a RailPath), or None (and the reason in RAIL_STRAIGHT)."""
    key = (a, b, sourced_km)
    if key not in _RAIL_CACHE:
        r = RAILNET.route((NI[a]["lon"], NI[a]["lat"]), (NI[b]["lon"], NI[b]["lat"]), within=_home(a, b))
        geo = _geo_km(a, b)
        why = ("no line within 30 km of an end node, or the ends are not connected within the end nodes' countries" if r is None
               else f"path {r.km:.0f} km is not within {RAIL_SOURCED_RATIO[0]}–{RAIL_SOURCED_RATIO[1]} × the sourced {sourced_km:.0f} km" if sourced_km and not RAIL_SOURCED_RATIO[0] <= r.km / sourced_km <= RAIL_SOURCED_RATIO[1]
               else f"path {r.km:.0f} km is over {RAIL_GEODESIC_MAX} × the geodesic {geo:.0f} km" if not sourced_km and r.km > RAIL_GEODESIC_MAX * geo
               else None)
        if why:
            RAIL_STRAIGHT[f"{a}-{b}"] = why
        _RAIL_CACHE[key] = None if why else r
    return _RAIL_CACHE[key]
def _rail_km(a, b):
    """A rail link's modelled length without a sourced one: along the lines, else geodesic × detour."""
    r = rail_path(a, b)
    return r.km if r else _geo_km(a, b) * DETOUR[0]
SPEED = {
 "cn": (82.3, "published", "cpmm_2022", "PRC rail SWOD 2022 (speed without delay; border time is modelled at the border node)"),
 "kz": (round(941/24, 2), "computed", "railfreight_kz_2018", "941 km/day average container-train speed in Kazakhstan (2018) / 24 h"),
 "cau": (round(863/34, 2), "computed", "agenda_ge_2014", "863 km (503 km AZ section, raillynews_az, + 360 km Poti–Gardabani tariff distance, uz_tariff_2016) / 34 h Poti–Baku block train"),
 "ro": (16.0, "published", "stiripesurse_ro_speed", "average freight train speed in Romania"),
 "road": (42.0, "proxy", "cpmm_2022", "CAREC road SWOD 2022 (42.0 km/h)"),
}
TARIFF_KM = {
 "cn": (round(771/500, 4), "computed", "cpmm_2022", "PRC rail TFI3 2022: 771 USD per 500 km per 20 t; a FEU taken as the 20-t unit"),
 "kz": (0.24, "published", "cfts_ktz_rate", "KTZ special transit rate, loaded 40' container"),
 "cau": (round(800 * FEU_RAIL / 863, 4), "computed", "cbw_ge_2018", f"800 USD per 20' Alyat–Poti/Batumi over 863 km, × {FEU_RAIL} for a FEU (40'/20' of Azerbaijan Railways' container rate, 49/27 USD, cis_tariff_2017; no FEU rate found)"),
 "eu": (round(804/500, 4), "proxy", "cpmm_2022", "CAREC-wide rail TFI3 2022 (804 USD per 500 km per 20 t); no Romanian/Serbian rail rate found"),
 "road": (round(945/500, 4), "proxy", "cpmm_2022", "CAREC-wide road TFI3 2022 (945 USD per 500 km per 20 t)"),
}
# Standard-gauge block-train rate (China and Europe). CPMM's TFI3 (771-804 USD per 500 km per
# 20 t) is a cost per wagonload; China–Europe container block trains are sold as through rates.
# The lowest published SOC through rate (Chengdu/Chongqing, Jan 2025: 5,800 USD/FEU) less the
# 1520-mm segment's ERAI (3,250 USD/FEU, H1 2025) leaves 2,550 USD for the standard-gauge km at
# both ends (Chongqing–Xi'an–Urumqi–Alashankou and Małaszewicze–Warsaw–Duisburg, as modelled).
REFS["soc_rates_2025"] = ("1520international.com, Sep 2025: China–Europe rail through rates (SOC) Jan 2025 5,800 (Chengdu/Chongqing) – 7,300 (Shenzhen) USD/FEU; Mar 2025 5,250–6,100", "https://1520international.com", "P", "")
# references cited only by the bundled scenarios (scenario_sources.json)
REFS.update({
 "seanews_storm_2022": ("sea-news.az, 9 May 2022: Caspian storm from 5 May 2022, sailings stopped at least 5 days (5–10 May); waves 5 m, NW gusts 20–25 m/s; ferry held 9 km off Kuryk", "https://sea-news.az", "N", ""),
 "apa_storm_2023": ("APA (via txtreport); pressklub.az, Feb 2023: Caspian storm 7–10 Feb 2023, wind 18–23 m/s, gusts 30–35 m/s, waves 3–5 m (up to 6–8 m); ships sent to shelter", "https://apa.az", "N", ""),
 "vestikavkaza_asco_2025": ("Vestnik Kavkaza, 5 Mar 2025: ASCO deputy chair on the falling Caspian level: lower Ro-Pax loads on Kuryk–Baku; on Baku–Turkmenbashi tank cars per sailing -37%, wagons -19%", "https://vestikavkaza.ru", "N", ""),
 "azernews_storm_2025": ("AzerNews, 10 Feb 2025 (ASCO): ships anchored or sheltered for 5 days in a storm; sailings resumed on 10 Feb 2025", "https://www.azernews.az", "N", ""),
 "caspian_storm_news": ("news.az; sputnik.az; mincom.gov.az; report.az: Caspian sailings suspended on 30 Mar 2018 (gusts 32–35 m/s), 5 May 2021, 25–26 Oct 2021 and 13–15 Jan 2026", "https://report.az", "N", ""),
 "transitaz_storm": ("transit.az (year not given): storm halted ferry loading at Aktau from 6 to 9 December; only one ferry pier working then", "https://transit.az", "N", ""),
 "kuryk_weather_2024": ("Kuryk port director S. Akhmetov via turan.az (Dec 2024; also evrimagaci.org): 'according to statistics, in November and December the port is closed due to weather conditions about 50% of the time'", "https://www.turan.az", "N", ""),
 "argus_storm_jan": ("Argus via inbusiness.kz (2025 or 2026): 10 storm days on the Caspian in one January 'fully paralysed' regular sailings; storm surcharge +200 to +500 USD/FEU China→Baku/Türkiye", "https://inbusiness.kz", "N", ""),
 "utlc_nr_2024": ("UTLC ERA (A. Grom) via maritime-network.com, Mar 2025: China–EU rail transit via Kazakhstan, Russia and Belarus 412,000 TEU westbound in 2024", "https://maritime-network.com", "N", ""),
 "searates_wci_2024": ("searates.com (Drewry World Container Index), 2024: Shanghai–Rotterdam 7,961 USD/FEU during the Red Sea crisis", "https://www.searates.com", "P", ""),
 "trend_az_vessels_2025": ("Trend, 25 Nov 2025: Azerbaijan to add two vessels with a capacity of 700 containers each on the Caspian by 2027", "https://en.trend.az", "C", ""),
 "nca_kz_fleet_2023": ("newscentralasia.net, Mar 2023 (Government of Kazakhstan): Kazakh fleet by 2030 to include 8 ferries, 1 container ship, 6 tankers, 10 oil barges", "https://newscentralasia.net", "C", ""),
 "astanatimes_declaration_2025": ("Astana Times, 31 Jul 2025 (KTZ chairman to the President): TITR declaration filing time cut from 8 hours to 30 minutes", "https://astanatimes.com", "N", ""),
 "wb_2030_volumes": ("World Bank (2023), 'Middle Trade and Transport Corridor' (hdl.handle.net/10986/40626), via Trend 30 Nov 2023 and 28 Feb 2024: 11 Mt/yr across the Caspian by 2030, about 4 Mt of it in containers", "https://en.trend.az", "C", ""),
 "kmg_caspian_2026": ("KMG via Report.az and Trend, 17 Jan 2026: Kazmortransflot carried 59,400 TEU on the Aktau–Baku–Aktau feeder line in 2025, over 15% more than in 2024 (51,400 TEU)", "https://report.az/ru/infrastruktura/kazmortransflot-narastil-kontejnernye-perevozki-po-kaspiyu-bolee-chem-na-15-v-2025-godu", "N", ""),
 "mot_kz_titr_2026": ("Kazakh Ministry of Transport via Report.az and Astana Times, 10 Mar 2026: about 77,000 TEU carried on the Trans-Caspian route in 2025; 4.119 Mt in 2025 (4.484 Mt in 2024)", "https://report.az/en/infrastructure/container-traffic-on-trans-caucasian-int-l-transport-route-to-grow-to-300-000-teu-by-2029", "N", ""),
 "titr_plan_2025": ("TITR association via Astana Times 6 Mar 2025, sia.az, report.az: 2025 plan 2.5 Mt dry cargo = 96,000 TEU, of which 88,000 TEU Aktau→Alyat", "https://astanatimes.com", "C", ""),
 "titr_ports_2024": ("TITR association via Astana Times, 6 Mar 2025: 2024 through the seaports of Kazakhstan and Azerbaijan 3.3 Mt and 56,500 TEU (+176%)", "https://astanatimes.com", "P", ""),
 "ktze_trains_2024": ("KTZ Express (ktze.kz): 358 container trains from China on the Trans-Caspian route in 2024 (33 times 2023)", "https://ktze.kz", "P", ""),
 "reportaz_ady_trains_2024": ("Report.az, Sep 2024 (ADY chairman R. Rustamov): 212 container block trains sent from China on the Middle Corridor in the first 8 months of 2024; caspiannews.com, 10 Oct 2024: 'more than 210' trains China -> Azerbaijan", "https://report.az/ru/infrastruktura/rovshan-rustamov-kitaj-budet-otpravlyat-1000-kontejnernyh-blok-poezdov-v-god-po-srednemu-koridoru", "N", ""),
 "caspiannews_9m_2024": ("Caspian News, 10 Oct 2024 (Kazakh Transport Minister M. Karabayev): Trans-Caspian container volumes January–September 2024 34,600 TEU, three times a year earlier", "https://caspiannews.com/news-detail/middle-corridor-freight-volumes-rise-70-in-2024-2024-10-10-0/", "N", ""),
 "nca_transit_2023": ("newscentralasia.net, 4 Mar 2023 (meeting in the Government of Kazakhstan); jjtv.kz; Kazinform 19 May 2023 (PM Smailov): transit across Kazakhstan on the Trans-Caspian route cut from 12 days (2022) to 6, China -> Black Sea ports from 38–53 to 19–23 days", "https://newscentralasia.net/2023/03/04/delivery-time-of-goods-from-china-to-the-black-sea-ports-via-the-caspian-sea-has-been-halved", "N", ""),
 "trend_aktau_q1_2024": ("Trend, 9 Apr 2024 (KTZ): Aktau port handled 7,400 TEU in Q1 2024 (+33%), of which 6,400 TEU on the Trans-Caspian route, 85% more than in Q1 2023", "https://en.trend.az/casia/kazakhstan/3883668.html", "N", ""),
 "trend_11m_2024": ("Government of Kazakhstan via Trend, 17 Dec 2024: Trans-Caspian route January–November 2024 4.1 Mt and 50,500 TEU (2.6 times a year earlier)", "https://en.trend.az", "N", ""),
 "reuters_aluminium_2026": ("Reuters poll via aspirehk.ltd, 29 Jan 2026: average LME spot aluminium price 2,630 USD/t in 2025", "https://aspirehk.ltd/en/real-time-quotes-and-news/1048342", "N", ""),
 "indexbox_paperbox_2022": ("IndexBox via GlobeNewswire, 11 Jan 2022: average export price of corrugated paper and paperboard boxes 1,491 USD/t in 2020", "https://www.globenewswire.com/news-release/2022/01/11/2364981/0/en/Paper-Box-Market-Surging-Prices-Propel-Suppliers-Revenues-IndexBox.html", "N", ""),
 "aviation_direct_subsidy": ("aviation.direct (undated, after the Tokayev–Vučić talks in Belgrade): Serbia committed to subsidise a Belgrade–Kazakhstan air route", "https://aviation.direct/serbien-subventioniert-neue-flugverbindung-nach-kasachstan", "N", ""),
})

def _gkm(a, b):
    return _rail_km(a, b)
_sg_cn = _gkm("chongqing", "xian") + _gkm("xian", "urumqi") + 460.0
_sg_eu = _gkm("malaszewicze", "warsaw") + _gkm("warsaw", "duisburg")
_sg_rate = round((5800.0 - 3250.0) / (_sg_cn + _sg_eu), 4)
_sg_note = (f"(5,800 USD/FEU SOC through rate Chengdu/Chongqing–Europe, Jan 2025, soc_rates_2025 − 3,250 ERAI 1520-mm segment, "
            f"erai_h1_2025) / ({_sg_cn:.0f} km in China + {_sg_eu:.0f} km Małaszewicze–Duisburg, modelled); border and gauge charges "
            f"are paid from the same remainder, so this is an upper bound")
TARIFF_KM["cn"] = (_sg_rate, "computed", "soc_rates_2025", _sg_note)
TARIFF_KM["eu"] = (_sg_rate, "proxy", "soc_rates_2025", "standard-gauge block-train rate of China and Poland/Germany " + _sg_note + "; no Balkan, Turkish or Romanian container rate found")
# Broad-gauge container block trains in Kazakhstan (to Aktau, Almaty, Astana): the 1520-mm rate of
# ERAI, which includes the fitting platforms and terminal services (erai_method). KTZ's special rate
# of 0.24 USD per FEU-km (cfts_ktz_rate) applies only to own containers on own wagons, a wagon the
# model would not price; it stays on the China–Iran line it was published for (TARIFF_KM["south"]).
_erai_km = sum(_gkm(a, b) for a, b in (("dostyk", "astana"), ("astana", "moscow"), ("moscow", "minsk"), ("minsk", "brest")))
TARIFF_KM["kz"] = (round(3250.0 / _erai_km, 4), "proxy", "erai_h1_2025",
                   f"ERAI H1 2025 average 3,250 USD/FEU for the 1520-mm segment over its {_erai_km:.0f} modelled km (the Northern route's rate, TARIFF_KM['nr']): "
                   "rail tariffs with the fitting platforms and terminal services (erai_method); no KTZ container rate to Aktau with the wagon was found, and KTZ's "
                   "special 0.24 USD per FEU-km (cfts_ktz_rate) is for own containers on own wagons; used on every Kazakh (and, as a proxy, Uzbek) container link")

def link(a, b, mode, *, region=None, length=None, time=None, time_tri=None, speed=None, gauge=None, tariff_km=None, tariff_feu=None, tariff_kg=None, co2, service=None, group=None, geometry=None, both=True, service_back=None, status=None, detour=None):
    if mode == "rail" and geometry is None and (r := rail_path(a, b, length[0] if length else None)):
        geometry = r.coords
        if length is None and detour is None and (a, b) in RAIL_LENGTH_NOT_FROM_LINES:
            ref, why = RAIL_LENGTH_NOT_FROM_LINES[(a, b)]
            length = (round(_geo_km(a, b) * DETOUR[0], 1), "computed", ref, f"geodesic × the detour factor {DETOUR[0]} (pyproj): {why}")
        elif length is None and detour is None:
            length = (r.km, "computed", "ne_rail", f"shortest path along the Natural Earth 1:10m railway lines (end nodes {r.snap_km[0]} and {r.snap_km[1]} km from the nearest line)")
    for (f, t, svc) in ((a, b, service), (b, a, service_back if service_back else service)) if both else ((a, b, service),):
        lid = f"{mode}-{f}-{t}"
        coords = geometry if (f, t) == (a, b) else (geometry[::-1] if geometry else None)
        if coords is None:
            coords = [[NI[f]["lon"], NI[f]["lat"]], [NI[t]["lon"], NI[t]["lat"]]]
        rec = {"id": lid, "from": f, "to": t, "mode": mode, "co2_factor": co2, "_coords": coords}
        if length is not None:
            rec["length_km"] = length[0]; src("link", lid, "length_km", length[0], "km", length[1], length[2], length[3])
        elif detour is not None:  # (value, basis, ref, note)
            rec["detour_factor"] = detour[0]; src("link", lid, "detour_factor", detour[0], "", *detour[1:])
        else:
            rec["detour_factor"] = (1.0 if mode in ("sea", "ferry", "air", "road") else DETOUR[0])
            if mode not in ("sea", "ferry", "air", "road"):
                straight = RAIL_STRAIGHT.get(f"{a}-{b}")
                src("link", lid, "detour_factor", DETOUR[0], "", *DETOUR[1:-1], DETOUR[-1] + (f"; drawn straight: the Natural Earth path failed the sanity rule ({straight})" if straight else ""))
            else:
                src("link", lid, "detour_factor", 1.0, "", "assumption", "", "open-water crossing or flight taken as the geodesic (no sourced route length)")
        if time is not None:
            rec["time_h"] = time[0]; src("link", lid, "time_h", time[0], "h", time[1], time[2], time[3])
        if time_tri is not None:  # {attribute: (value, basis, ref, note)}: time_dist and its min, mode, max
            for k, (v, *why) in time_tri.items():
                rec[k] = v; src("link", lid, k, v, "h" if k.endswith("_h") else "", *why)
        if speed is not None:
            rec["speed_kmh"] = speed[0]; src("link", lid, "speed_kmh", speed[0], "km/h", *speed[1:])
        if isinstance(gauge, tuple):  # (value, basis, ref, note) where the general rule does not apply
            rec["gauge_mm"] = gauge[0]; src("link", lid, "gauge_mm", gauge[0], "mm", *gauge[1:])
        elif gauge is not None:
            rec["gauge_mm"] = gauge; src("link", lid, "gauge_mm", gauge, "mm", "published", "erai_dostyk", "China 1435 mm, former USSR (KZ, AZ, GE) 1520 mm, Europe 1435 mm; gauge change at Dostyk/Khorgos")
        if status is not None:  # (value, basis, ref, note): a planned link is left out until a scenario opens it
            rec["status"] = status[0]; src("link", lid, "status", status[0], "", *status[1:])
        if tariff_km is not None:
            rec["tariff_usd_feu_km"] = tariff_km[0]; src("link", lid, "tariff_usd_feu_km", tariff_km[0], "USD/FEU-km", *tariff_km[1:])
        if tariff_feu is not None:
            rec["tariff_usd_feu"] = tariff_feu[0]; src("link", lid, "tariff_usd_feu", tariff_feu[0], "USD/FEU", *tariff_feu[1:])
        if tariff_kg is not None:
            rec["tariff_usd_kg"] = tariff_kg[0]; src("link", lid, "tariff_usd_kg", tariff_kg[0], "USD/kg", *tariff_kg[1:])
        if svc: rec["service"] = svc
        if group: rec["group"] = group
        LINKS.append(rec)

# Chinese rail speed: CPMM's PRC SWOD (82.3 km/h) excludes every en-route stop, so trains crossed
# China in a day and a half and Xi'an–Baku took 7.7 days against the 11 published (V5). Use the
# observed Xi'an–Almaty container train instead (3,866 km in 6 days), less the parts modelled
# elsewhere: the Khorgos border and gauge change (CPMM 2022, Astana Times 2021) and the Kazakh leg.
_cn_km = _rail_km("xian", "urumqi") + 667.5
_kz_km = _rail_km("khorgos", "almaty")
_cn_h = 6 * 24.0 - 34.8 - 55 / 60 - _kz_km / SPEED["kz"][0]
SPEED["cn"] = (round(_cn_km / _cn_h, 2), "computed", "chinadaily_xian_almaty_2013",
               f"Xi'an–Almaty container train 3,866 km in 6 days (144 h) less the Khorgos border 34.8 h (cpmm_2022), gauge change 55 min "
               f"(astanatimes_khorgos_2021) and {_kz_km:.0f} km Khorgos–Almaty at the Kazakh speed: {_cn_km:.0f} modelled km in China in {_cn_h:.1f} h")
link("xian", "urumqi", "rail", speed=SPEED["cn"], gauge=1435, tariff_km=TARIFF_KM["cn"], co2="rail")
link("urumqi", "khorgos", "rail", length=(667.5, "computed", "xinhua_jinghe_2009", "Urumqi–Jinghe second line 381.5 km + Jinghe–Horgos 286 km"), speed=SPEED["cn"], gauge=1435, tariff_km=TARIFF_KM["cn"], co2="rail")
link("urumqi", "dostyk", "rail", length=(460.0, "published", "wiki_northern_xinjiang", "Urumqi–Alashankou; the few km Alashankou–Dostyk are not counted"), speed=SPEED["cn"], gauge=1435, tariff_km=TARIFF_KM["cn"], co2="rail")
for a, b in (("khorgos", "almaty"), ("dostyk", "almaty"), ("almaty", "aktau"), ("aktau", "kuryk"), ("astana", "aktau")):
    link(a, b, "rail", speed=SPEED["kz"], gauge=1520, tariff_km=TARIFF_KM["kz"], co2="rail")
link("almaty", "astana", "rail", length=(1350.0, "published", "talgo_kz", "conventional line used by Talgo"), speed=SPEED["kz"], gauge=1520, tariff_km=TARIFF_KM["kz"], co2="rail")
CASPIAN_TARIFF = (1200.0, "proxy", "haber24_roro", "Caspian Ro-Ro price for one truck Alat→Aktau, one way; no per-box feeder or per-wagon ferry tariff found")
link("aktau", "alat", "sea", length=(470.0, "published", "ame_baku_aktau", "Baku–Aktau ferry route length"), time=(22.0, "news", "sudohodstvo_2017", "Aktau–Baku crossing 22 h"), tariff_feu=CASPIAN_TARIFF, co2="container_feeder", service="caspian-feeder", group="caspian")
FERRY_TIME = {"time_dist": ("triangular", "news", "seanews_2022", "the source gives a range, 20–22 h Kuryk–Alat Ro-Pax crossing: triangular; used for both directions"),
              "time_min_h": (20.0, "news", "seanews_2022", "Kuryk–Alat Ro-Pax crossing 20–22 h: least"),
              "time_mode_h": (21.0, "computed", "seanews_2022", "midpoint of the 20–22 h Kuryk–Alat Ro-Pax crossing, taken as the most likely value"),
              "time_max_h": (22.0, "news", "seanews_2022", "Kuryk–Alat Ro-Pax crossing 20–22 h: greatest")}
link("kuryk", "alat", "ferry", time_tri=FERRY_TIME, tariff_feu=CASPIAN_TARIFF, co2="roro_ferry", service="caspian-ropax", group="caspian")
link("alat", "tbilisi", "rail", speed=SPEED["cau"], gauge=1520, tariff_km=TARIFF_KM["cau"], co2="rail")
link("tbilisi", "poti", "rail", length=(310.0, "published", "jrtr_georgia", "Tbilisi–Poti line length"), speed=SPEED["cau"], gauge=1520, tariff_km=TARIFF_KM["cau"], co2="rail")
link("tbilisi", "batumi", "rail", speed=SPEED["cau"], gauge=1520, tariff_km=TARIFF_KM["cau"], co2="rail")
BS_TARIFF = (round(450 * FEU_WATER), "proxy", "cbw_ge_2018", f"Poti–Mersin sea freight 450 USD per 20' (~2018) × {FEU_WATER} for a FEU (40'/20' of a full container by water, Constanța–Belgrade barge 430/300 EUR, transnav_yugoagent_2007); no Poti/Batumi–Constanța feeder rate found")
for port, sv, sb, tm in (("poti", "bs-feeder-poti", "bs-feeder-constanta-poti", (60.0, "proxy", "vestnik_e60", "Constanța→Poti Ro-Ro ferry: Tuesday departure, Thursday evening arrival (~2.5 days)")),
                        ("batumi", "bs-feeder-batumi", "bs-feeder-constanta-batumi", (120.0, "claim", "middlecorridor_2019", "Batumi–Constanța feeder 5 days one way (planned)"))):
    r = sr.searoute([NI[port]["lon"], NI[port]["lat"]], [NI["constanta"]["lon"], NI["constanta"]["lat"]], units="km")
    link(port, "constanta", "sea", length=(round(r.properties["length"], 1), "computed", "searoute", "searoute 1.6.0 shortest sea route between the port coordinates"), time=tm, tariff_feu=BS_TARIFF, co2="container_feeder", service=sv, service_back=sb, group="black-sea", geometry=r.geometry["coordinates"])
link("constanta", "belgrade", "rail", length=(958.0, "computed", "wiki_cfr", "225 km Constanța–Bucharest + 533 km Bucharest–Timișoara (wiki_cfr) + <200 km Timișoara–Belgrade (postsen_tm_bg): an upper bound"), speed=SPEED["ro"], gauge=1435, tariff_km=TARIFF_KM["eu"], co2="rail")
link("belgrade", "beg", "road", length=(18.0, "published", "wiki_beg", "airport to city centre"), speed=SPEED["road"], tariff_km=TARIFF_KM["road"], co2="hgv")
link("astana", "nqz", "road", length=(14.0, "news", "globtroter_nqz", "airport to city centre (sources give 12–17 km)"), speed=SPEED["road"], tariff_km=TARIFF_KM["road"], co2="hgv")
link("nqz", "beg", "air", time=(round(5 + 40/60, 4), "published", "trend_scat_2025", "block time 5 h 40 min"), tariff_kg=(3.325, "proxy", "freightos_air", "midpoint of 2.65–4.00 USD/kg China→Europe; no Central Asia–Europe rate found"), co2="air_longhaul", service="scat-nqz-beg", service_back="scat-beg-nqz")

EF = [("rail", 27.79, "Rail: freight train (UK average)"), ("hgv", 101.63, "HGV (all diesel), average laden"),
      ("container_feeder", 36.75, "Container ship 0–999 TEU (Caspian and Black Sea feeders)"), ("roro_ferry", 51.58, "RoRo ferry, average"),
      ("air_longhaul", 531.30, "Freight flight, long-haul international, without radiative forcing")]

# ---------------------------------------------------------------- issue 4: the whole corridor (links)
def _chain_km(*nodes):
    return sum(_rail_km(a, b) for a, b in zip(nodes, nodes[1:]))
def _mk_speed(km, hours, ref, basis, note):
    return (round(km / hours, 2), basis, ref, note)
SPEED["ru_by"] = (SPEED["kz"][0], "proxy", "railfreight_kz_2018", "941 km/day container-train speed in Kazakhstan used in Russia and Belarus (no figure found there)")
_bud_kap = _geo_km("budapest", "kapikule") * DETOUR[0]
SPEED["balkan"] = _mk_speed(_bud_kap, 72.0, "rcg_2018", "computed", f"Budapest BILK → Kapıkule in 3 days over {_bud_kap:.0f} km (geodesic × detour 1.22)")
_mun_bud = G.inv(AP["MUC"]["lon"], AP["MUC"]["lat"], AP["BUD"]["lon"], AP["BUD"]["lat"])[2] / 1000.0 * DETOUR[0]
SPEED["central_eu"] = _mk_speed(_mun_bud, 24.0, "verkehrsrundschau_2017", "computed", f"Munich → Budapest block train in <24 h over {_mun_bud:.0f} km (MUC–BUD airports from airportsdata, geodesic × detour 1.22); a lower bound")
_pir_sko = _chain_km("piraeus", "skopje")
_sko_pre = 50.0
SPEED["gr_mk"] = _mk_speed(_pir_sko + _sko_pre, 24.0, "plutonlogistics_2014", "computed", f"Piraeus → Preševo in ≈24 h over {_pir_sko:.0f} km Piraeus–Skopje (modelled: along the railway lines, ne_rail) + 50 km Skopje–Tabanovce (mia_mk_2024)")
_south_stops = NI["ashgabat"]["border_mode_h"] + NI["tehran"]["border_mode_h"] + NI["ashgabat"]["gauge_change_h"]
SPEED["south"] = _mk_speed(6336.0, 12 * 24.0 - _south_stops, "orient_tm_2022", "computed",
                           f"KZ–TM–IR–TR test train: 6,336 km in 12 days, less the {_south_stops:.1f} h of border clearance (three crossings) and gauge change modelled at the nodes")
SPEED["sea16"] = (round(16 * 1.852, 3), "published", "porteconomics_sea", "16 knots (the speed at which Shanghai–Rotterdam takes ~27 days)")
_nr_km = _chain_km("dostyk", "astana", "moscow", "minsk", "brest")
TARIFF_KM["nr"] = (round(3250.0 / _nr_km, 4), "computed", "erai_h1_2025", f"ERAI H1 2025 average 3,250 USD/FEU for the 1520-mm segment over its {_nr_km:.0f} modelled km (Dostyk–Astana–Moscow–Minsk–Brest; along the railway lines, ne_rail, where they pass the sanity rule, else geodesic × detour 1.22)")
TARIFF_KM["south"] = (0.24, "published", "cfts_ktz_rate", "KTZ special rate China–Iran via Turkmenistan, loaded 40' container, used on the whole KZ–TM–IR rail")
EF.append(("container_ship", 16.12, "Container ship, average"))

def rail(a, b, region, *, gauge, tariff, length=None, time=None, group=None):
    link(a, b, "rail", length=length, time=time, speed=None if time else SPEED[region], gauge=gauge, tariff_km=TARIFF_KM[tariff], co2="rail", group=group)

# origins in China
rail("chongqing", "xian", "cn", gauge=1435, tariff="cn")
rail("lianyungang", "xian", "cn", gauge=1435, tariff="cn")
# Northern route: Dostyk -> Kazakhstan -> Russia -> Belarus -> Brest/Małaszewicze -> Warsaw -> Duisburg; branch to Budapest -> Belgrade
# (the links in Russia and Belarus, up to the Polish border, form the group "ru-by" that scenarios close)
rail("dostyk", "astana", "kz", gauge=1520, tariff="nr")
rail("astana", "moscow", "ru_by", gauge=1520, tariff="nr", group="ru-by")
rail("moscow", "minsk", "ru_by", gauge=1520, tariff="nr", group="ru-by")
rail("minsk", "brest", "ru_by", gauge=1520, tariff="nr", group="ru-by")
rail("brest", "malaszewicze", "ru_by", gauge=1520, tariff="nr", group="ru-by")
rail("malaszewicze", "warsaw", "central_eu", gauge=1435, tariff="eu")
rail("warsaw", "duisburg", "central_eu", gauge=1435, tariff="eu")
rail("warsaw", "budapest", "central_eu", gauge=1435, tariff="eu")
rail("budapest", "belgrade", "balkan", gauge=1435, tariff="eu")
# Middle Corridor, Türkiye branch: Tbilisi -> Akhalkalaki (gauge change) -> Kars -> Istanbul (Marmaray) -> Kapıkule -> Sofia -> Niš -> Belgrade
rail("tbilisi", "akhalkalaki", "cau", gauge=1520, tariff="cau", time=(24.0, "proxy", "dayaz_btk_2025", "agreed delivery norm Gardabani–Akhalkalaki ≤24 h, used from Tbilisi"))
rail("akhalkalaki", "kars", "cau", gauge=1435, tariff="cau", length=(105.0, "news", "railwaymagazine_btk", "76 km Kars–Kartsakhi + 29 km to Akhalkalaki (wiki_btk: gauge break at km 105 from Kars)"))
rail("kars", "istanbul", "balkan", gauge=1435, tariff="eu", time=(70.0, "claim", "dayaz_btk_2025", "agreed delivery norm Kars–Istanbul ≤70 h (through Marmaray to Halkalı)"))
rail("istanbul", "kapikule", "balkan", gauge=1435, tariff="eu")
rail("kapikule", "sofia", "balkan", gauge=1435, tariff="eu")
rail("sofia", "nis", "balkan", gauge=1435, tariff="eu")
rail("nis", "belgrade", "balkan", gauge=1435, tariff="eu", length=(230.0, "news", "rgazette_belgrade_nis", "Belgrade–Niš railway"))
# Sea–rail: Piraeus -> Skopje -> Niš -> Belgrade (China–Europe Land–Sea Express)
rail("piraeus", "skopje", "gr_mk", gauge=1435, tariff="eu")
rail("skopje", "nis", "gr_mk", gauge=1435, tariff="eu", length=(215.0, "computed", "wiki_nis_presevo", "165 km Niš–Preševo (wiki_nis_presevo) + 50 km Tabanovce–Skopje (mia_mk_2024, planned line length)"))
# Southern rail: Kazakhstan -> Turkmenistan -> Iran -> Türkiye
rail("almaty", "ashgabat", "south", gauge=1520, tariff="south")
rail("ashgabat", "tehran", "south", gauge=1435, tariff="south")
rail("tehran", "istanbul", "south", gauge=1435, tariff="eu")
# Sea: Shanghai, Ningbo, Lianyungang -> Suez -> Piraeus; Cape of Good Hope; Shanghai -> Poti
ASIA_MED = (2250.0, "proxy", "argus_reportaz_2025", "midpoint of 2,000–2,500 USD/FEU Shanghai–Poti by sea, charged on the Asia–Suez leg for any Mediterranean or Black Sea port")
CAPE_RATE = (5085.0, "proxy", "index1520_wci_2024", "Drewry WCI Shanghai–Rotterdam in Jul 2024, when ships went round the Cape, charged on the Asia–Cape leg")
def sea(a, b, *, tariff=None, restrictions=("northwest",)):
    km, coords = _sea([NI[a]["lon"], NI[a]["lat"]], [NI[b]["lon"], NI[b]["lat"]], restrictions)
    link(a, b, "sea", length=(km, "computed", "searoute", f"searoute shortest sea route between the coordinates (restricted: {', '.join(restrictions)}; never through the Volga–Don canal)"),
         speed=SPEED["sea16"], tariff_feu=tariff, co2="container_ship", geometry=coords, group="deep-sea")
for port in ("shanghai", "ningbo", "lianyungang"):
    sea(port, "suez", tariff=ASIA_MED)
sea("suez", "piraeus")
# Poti has no direct Asia–Mediterranean call (the loops end in the Mediterranean, alphaliner_aem1_2024):
# boxes for Poti change at Piraeus to a Black Sea feeder (Evergreen/UFS EBS, Piraeus–Istanbul–Poti, weekly)
REFS["oevz_ebs_2013"] = ("OEVZ (2013): Evergreen and United Feeder Services start the East Black Sea (EBS) service, once a week, with the 971 TEU Melody and the 1,155 TEU Murat K, rotation Piraeus, Istanbul, Poti, Novorossiysk, Piraeus; Evergreen's Asia–Europe loops connect with it at Piraeus", "http://www.oevz.com/news/evergreen-line-startet-liniendienst-ebs-ins-stliche-schwarze-meer/", "N", "")
_pp_km, _pp_coords = _sea([NI["piraeus"]["lon"], NI["piraeus"]["lat"]], [NI["poti"]["lon"], NI["poti"]["lat"]])
link("piraeus", "poti", "sea", length=(_pp_km, "computed", "searoute", "searoute shortest sea route Piraeus–Poti (through the Bosporus)"), speed=SPEED["sea16"],
     tariff_feu=(0.0, "proxy", "argus_reportaz_2025", "the Shanghai–Poti through rate (2,000–2,500 USD/FEU) is charged on the Asia–Suez leg; the feeder leg adds nothing"),
     co2="container_feeder", geometry=_pp_coords, group="black-sea", service="feeder-piraeus-poti", service_back="feeder-poti-piraeus")
for port in ("shanghai", "ningbo", "lianyungang"):  # every Chinese port can go round the Cape, as through Suez
    sea(port, "cape", tariff=CAPE_RATE, restrictions=("northwest", "suez", "babalmandab"))
sea("cape", "piraeus", restrictions=("northwest", "suez", "babalmandab"))

# ---------------------------------------------------------------- services
SERVICES = []
def service(id, name, operator, kind, **attrs):
    rec = {"id": id, "name": name, "operator": operator, "kind": kind}
    units = {"capacity": "", "vessels": "vessels", "max_wait_h": "h", "port_time_h": "h", "interval_h": "h", "first_departure_h": "h", "departure_hour": "h", "cutoff_h": "h"}
    for k, v in attrs.items():
        if isinstance(v, tuple):
            rec[k] = v[0]; src("service", id, k, v[0], units.get(k, ""), *v[1:])
        else:
            rec[k] = v
    SERVICES.append(rec)
service("caspian-feeder", "Caspian container feeder Aktau–Alat", "Kazmortransflot / ASCO", "when_full",
        capacity=(225.0, "proxy", "uic_644", "feeder 'Turkestan' 225 TEU, taken for every vessel (Kazmortransflot's Barys sailed with a record 314 TEU, albelogistik.kz 2021; ASCO's two feeders not sized in the sources found)"), capacity_unit="teu",
        vessels=(6.0, "published", "sia_az_2025", "4 Kazmortransflot + 2 ASCO container feeders"),
        max_wait_h=(72.0, "assumption", "", "no timetable; ferry passengers report waits of 2–3 days (waykun.com, bambooodyssey.com) and sailings every 3–5 days; a vessel sails after 72 h at berth"),
        port_time_h=(round(225.0 / (42 * 2 / 6.0), 1), "computed", "intervalaz_baku_2021", "a full load of the 225 TEU feeder (uic_644) handled at Baku port's ship rate: 42 FEU (84 TEU) loaded onto the feeder Beket-Ata in 6 h, 14 TEU/h; 225 / 14 = 16.1 h per call (the outbound load is taken on while the vessel waits for cargo)"))
service("caspian-ropax", "Caspian Ro-Pax rail ferry Kuryk–Alat", "ASCO", "when_full",
        capacity=(112.0, "computed", "portnews_ropax_2022", "56 rail wagons per Ro-Pax; one FEU per wagon (assumption) = 112 TEU"), capacity_unit="teu",
        vessels=(2.0, "assumption", "", "only Azerbaijani ferries serve Kuryk–Alat (trend.az Dec 2024); two ships of the sourced Ro-Pax class assumed; change in a scenario"),
        max_wait_h=(72.0, "assumption", "", "no timetable; passengers report sailings every 3–5 days and waits of 2–3 days; a ferry sails after 72 h at berth"),
        port_time_h=(7.0, "computed", "astanatimes_kuryk_2021", "midpoint of the 6–8 h ferry processing cycle at Kuryk"))
for sid, name, first in (("bs-feeder-poti", "Black Sea feeder Poti→Constanța", 0.0), ("bs-feeder-constanta-poti", "Black Sea feeder Constanța→Poti", 120.0)):
    service(sid, name, "Georgian Railway (subsidiary)", "interval", capacity=(210.0, "published", "railway_ge_feeder", "210 TEU feeder"), capacity_unit="teu",
            interval_h=(240.0, "computed", "railway_ge_feeder", "three voyages a month: 720 h / 3"),
            **({"first_departure_h": (first, "assumption", "", "return sailings offset by half the interval")} if first else {}))
for sid, name, first in (("bs-feeder-batumi", "Black Sea liner Batumi→Constanța", 0.0), ("bs-feeder-constanta-batumi", "Black Sea liner Constanța→Batumi", 84.0)):
    service(sid, name, "", "interval", capacity=(1284.0, "news", "agerpres_batumi_2022", "AS Fatima (1,284 TEU) on the Piraeus–Batumi–Constanța–Varna loop"), capacity_unit="teu",
            interval_h=(168.0, "assumption", "", "weekly; frequency of the Batumi–Constanța loop not found"),
            **({"first_departure_h": (first, "assumption", "", "return sailings offset by half the interval")} if first else {}))
for sid, name, hour, why in (("scat-nqz-beg", "SCAT Astana→Belgrade", 8.0, "departure hour not published in the sources found; 08:00 assumed"),
                             ("scat-beg-nqz", "SCAT Belgrade→Astana", 15.0, "departure hour not published; 15:00 assumed (after the 5 h 40 min inbound flight and turnaround)")):
    service(sid, name, "SCAT Airlines", "weekly", weekdays="mon;thu", departure_hour=(hour, "assumption", "", why),
            capacity=(2000.0, "assumption", "", "belly cargo of the Boeing 737-800 on this passenger flight not found; 2,000 kg assumed; change in a scenario"), capacity_unit="kg")
service("caspian-tm-ferry", "Caspian ferry Türkmenbaşı–Alat", "ASCO / Deňizderýaýollary", "when_full",
        capacity=(112.0, "proxy", "portnews_ropax_2022", "the Kuryk–Alat Ro-Pax class (56 wagons, one FEU each = 112 TEU) used; the Türkmenbaşı line's ships not sourced"), capacity_unit="teu",
        vessels=(2.0, "assumption", "", "the Alat port administration lists 15 ferries and 3 Ro-Ro vessels for all its lines (nca_alat_tm_2023), not per line; two on Türkmenbaşı–Alat assumed, as on Kuryk–Alat; change in a scenario"),
        max_wait_h=(72.0, "assumption", "", "no timetable; ferries sail when full (travellers' reports); a ferry sails after 72 h at berth, as on the other Caspian lines"),
        port_time_h=(7.0, "proxy", "astanatimes_kuryk_2021", "Kuryk's 6–8 h ferry processing cycle used for Türkmenbaşı and Alat"))
# weekdays are a published fact too
for sid in ("scat-nqz-beg", "scat-beg-nqz"):
    src("service", sid, "weekdays", "mon;thu", "", "published", "trend_scat_2025", "2 flights a week, Mondays and Thursdays")

# ---------------------------------------------------------------- issue 13: liner sailings, cut-offs and dwell
REFS.update({
 "alphaliner_aem1_2024": ("container-news.com (Alphaliner), 2024: OCEAN Alliance Far East–Mediterranean service AEM1/MD2 on 20,000 TEU ships, a 14-week loop Qingdao, Shanghai, Ningbo, Kaohsiung, Hong Kong, Yantian, Singapore, Piraeus, La Spezia, Genoa, Fos, Valencia (a loop of whole weeks: one sailing a week)", "https://container-news.com/evergreen-and-cosco-to-transfer-giant-ships-from-north-europe-to-mediterranean-services", "N", ""),
 "seabay_cutoff": ("Seabay glossary, 'CY Cut-Off': the container yard cut-off is typically 24–48 hours before the vessel's estimated time of departure", "https://www.seabaycargo.com/glossary/CY-Cut-Off_1465.html", "N", ""),
 "fourkites_dwell_2022": ("FourKites via Transport Journal (2022): average dwell at the port of discharge 240 h worldwide, 122 h in European ports (port of loading 217 h in Europe)", "https://transportjournal.com/home/news/artikeldetail/intercontinental-dwell-times-increased.html", "N", ""),
 "fourkites_china_2023": ("FourKites via Seatrade Maritime (2023): ocean dwell (gate-in to vessel departure) of China's exports 4.8 days, import dwell 5.2 days", "https://www.seatrade-maritime.com/containers/container-export-dwell-time-chinese-ports-falls-62", "N", ""),
 "ecns_xian_baku_2024": ("ECNS (China News Service), 3 Jul 2024 (China Railway): from 1 Jul 2024 the Xi'an–Baku China-Europe Railway Express runs 'one train per day' as a regular service, about 12 days", "http://www.ecns.cn/news/cns-wire/2024-07-03/detail-ihecxmxh6562531.shtml", "N", ""),
 "agenda_ge_2014_days": ("Agenda.ge (Jul 2014): the Poti–Baku container block train runs on Tuesdays and Saturdays (two a week), within 34 hours", "https://agenda.ge/en/news/2014/1741", "N", ""),
})
_CUTOFF = (36.0, "computed", "seabay_cutoff", "midpoint of the typical 24–48 h container yard cut-off before departure")
def liner(sid, name, link_ids, *, capacity, interval, cutoff=_CUTOFF, first=None):
    """A timetabled liner service on the links it loads on (the vessel carries on over the following links)."""
    extra = {"first_departure_h": first} if first else {}
    service(sid, name, "", "interval", capacity=capacity, capacity_unit="teu", interval_h=interval, cutoff_h=cutoff, **extra)
    for lid in link_ids:
        rec = next(l for l in LINKS if l["id"] == lid)
        assert "service" not in rec, lid
        rec["service"] = sid
_WEEKLY_DEEP = (168.0, "computed", "alphaliner_aem1_2024", "one sailing a week: the Far East–Mediterranean loop turns in a whole number of weeks (14) with one ship per week")
_DEEP_CAP = (20000.0, "news", "alphaliner_aem1_2024", "20,000 TEU ships on the Far East–Mediterranean service (2024)")
# one service per link it loads on (westbound from the Chinese ports, eastbound from Piraeus and Poti); the
# vessel carries on over the next link (Suez or Cape to the destination) without a new wait
for port, via in (("shanghai", "suez"), ("ningbo", "suez"), ("lianyungang", "suez"), ("shanghai", "cape"), ("ningbo", "cape"), ("lianyungang", "cape"),
                  ("piraeus", "suez"), ("piraeus", "cape")):
    liner(f"liner-{port}-{via}", f"Far East–Mediterranean liner, {NI[port]['name']} via {NI[via]['name']}", [f"sea-{port}-{via}"], capacity=_DEEP_CAP, interval=_WEEKLY_DEEP)
for sid, name in (("feeder-piraeus-poti", "Black Sea feeder Piraeus→Istanbul→Poti (EBS)"), ("feeder-poti-piraeus", "Black Sea feeder Poti→Piraeus (EBS)")):
    service(sid, name, "Evergreen / United Feeder Services", "interval",
            capacity=(971.0, "news", "oevz_ebs_2013", "the smaller of the two EBS ships (971 and 1,155 TEU)"), capacity_unit="teu",
            interval_h=(168.0, "news", "oevz_ebs_2013", "once a week"))
# the Black Sea feeders and liners get the same cut-off (not the EBS feeder: its boxes arrive by ship, not through the gate)
for rec in SERVICES:
    if rec["id"].startswith("bs-feeder-"):
        rec["cutoff_h"] = _CUTOFF[0]; src("service", rec["id"], "cutoff_h", _CUTOFF[0], "h", *_CUTOFF[1:])

def dwell(ident, prefix, mean=None, basis=None, ref=None, note="", *, samples=None, samples_note=""):
    """Dwell at a node: triangular from half to 1.5 times a sourced mean, or empirical samples."""
    if samples is not None:
        attrs = {f"{prefix}_dist": ("empirical", basis, ref, samples_note),
                 f"{prefix}_samples_h": (";".join(f"{s:g}" for s in samples), basis, ref, samples_note)}
    else:
        spread = "the source gives a mean only; the spread from half to one and a half times the mean is assumed (as for border times); change in a scenario"
        attrs = {f"{prefix}_dist": ("triangular", "assumption", "", spread),
                 f"{prefix}_min_h": (round(mean * 0.5, 3), "assumption", "", f"half the mean {mean:g} h; " + spread),
                 f"{prefix}_mode_h": (mean, basis, ref, note),
                 f"{prefix}_max_h": (round(mean * 1.5, 3), "assumption", "", f"one and a half times the mean {mean:g} h; " + spread)}
    for k in attrs:
        NODE_UNITS.setdefault(k, "" if k.endswith("_dist") else "h")
    set_node(ident, **attrs)
# origin terminal: a departure a day from Xi'an; a box ready at any hour waits for the next one
dwell("xian", "origin_dwell", basis="computed", ref="ecns_xian_baku_2024",
      samples=[h + 0.5 for h in range(24)], samples_note="one train a day from Xi'an (ecns_xian_baku_2024) and a box ready at any hour of the day: waits of 0.5 to 23.5 h, equally likely")
# Alat: boxes off the Caspian feeder wait for a train to Georgia, two a week (the only timetable found)
dwell("alat", "dwell", basis="proxy", ref="agenda_ge_2014_days",
      samples=[3.5 * i + 1.75 for i in range(24)], samples_note="two block trains a week between Baku and Poti (Tuesdays and Saturdays, agenda_ge_2014_days; the 2026 Poti–Baku express has a fixed timetable whose days were not found): waits of up to 84 h, equally likely")
# Aktau: until the container hub opened (9 Jun 2025) a day was lost shunting between the station and the berths
REFS["365info_aktau_2025"] = ("365info.kz, Jul 2025, 'Новый контейнерный хаб в Актау усиливает Транскаспийский маршрут': the Aktau container hub opened on 9 Jun 2025 to remove the Caspian bottleneck, where container capacity was short and 'сутки' (a day) was lost on manoeuvres between the station and the berths; capacity about 70,000 TEU a year, about 240,000 by end-2026", "https://365info.kz/2025/07/novyj-kontejnernyj-hab-v-aktau-usilivaet-transkaspijskij-marshrut", "N", "")
dwell("aktau", "dwell", 24.0, "news", "365info_aktau_2025", "a day (24 h) lost on manoeuvres between Aktau station and the berths before the container hub opened on 9 Jun 2025 (most of baseline-2025's dates); the 2027 and 2030 scenarios, with the hub, set it to 0")
# European ports of discharge: the port's yard dwell (transshipment to rail) and the destination dwell
for port in ("constanta", "piraeus"):
    for prefix in ("dwell", "destination_dwell"):
        dwell(port, prefix, 122.0, "proxy", "fourkites_dwell_2022", "average dwell at the port of discharge in European ports in 2022 (FourKites), from discharge to gate-out; no figure for this port found")

# ---------------------------------------------------------------- issue 15: a wider corridor
# Türkmenbaşı and the southern Caspian crossing, Tashkent and the Uzbek network, the planned
# China–Kyrgyzstan–Uzbekistan railway (closed until a scenario opens it), Serbia as the Balkan
# hub (Sarajevo, Bar, Zagreb), and road where trucks run (Kazakhstan–Aktau/Kuryk, Georgia–Türkiye).
REFS.update({
 "nca_alat_tm_2023": ("newscentralasia.net, 1 Dec 2023 (Alat port administration to Kyrgyzstan's Ministry of Transport): Alat–Türkmenbaşı ferry transit 14–20 h; about 1,200 USD per truck, discount for pre-approved round trips; 15 ferries and 3 Ro-Ro vessels from Alat", "https://www.newscentralasia.net/2023/12/01/azerbaijan-and-kyrgyzstan-explore-multimodal-transportation-through-turkmenistan/", "P", ""),
 "uzrail_aktau_2020": ("Uzbekistan Railways (railway.uz), 6 Apr 2020: 90 containers from Sergeli (Tashkent) reached the Karakalpakiya border with Kazakhstan in 45 h and the port of Aktau in three days", "http://old.railway.uz/en/informatsionnaya_sluzhba/novosti/18334/", "P", ""),
 "ktz_xian_tashkent_2024": ("KTZ via Astana Times, 5 Aug 2024, and Railway Gazette: container train Xi'an–Khorgos Gateway–Saryagash–Tashkent, 4,486 km in a record five days", "https://astanatimes.com/2024/08/container-train-travels-from-china-to-uzbekistan-via-kazakhstan-in-record-five-days/", "N", ""),
 "trend_cku_2023": ("Trend, 19 May 2023 (President Mirziyoyev at the China–Central Asia summit): China–Kyrgyzstan–Uzbekistan railway 523 km: 213 km in China, 260 km in Kyrgyzstan, 50 km in Uzbekistan", "https://en.trend.az/casia/uzbekistan/3750432.html", "C", ""),
 "azernews_cku_2024": ("AzerNews via Menafn, 26 Sep 2024 (President Japarov): the China–Kyrgyzstan–Uzbekistan railway will be built within five years; construction launched in Dec 2024 (Trend, 2025)", "https://menafn.com/1108720566/China-Kyrgyzstan-Uzbekistan-Railway-Built-Within-5-Years", "C", ""),
 "fernexpress_bg_sa_2010": ("fern-express.de (IRJ), Mar 2010: Belgrade–Sarajevo through train restored Dec 2009, 451 km via Šid, Vinkovci, Bosanski Šamac, Doboj and Zenica, 9 h 20 min", "https://www.fern-express.de/wp/2010/03/serbienbosnien-i2010/", "N", ""),
 "sremska_bg_zg_2018": ("sremska.tv, Mar 2018 (Serbia–Croatia protocol on the reconstruction): Belgrade–Zagreb railway 412 km; Wikipedia 'Zagreb–Belgrade railway': 412 km", "http://sremska.tv/2018/03/uskoro-rekonstrukcija-pruge-beograd-zagreb/", "N", ""),
 "srbrail_bar": ("Serbian Railways (serbianrailways.com): Belgrade–Bar railway 476 km (Wikipedia 476.59; SICIP 454.8 — sources disagree); container trains Belgrade–Bar twice a week", "http://serbianrailways.com/container-traffic-introduced-on-the-line-belgrade-bar/", "P", ""),
})
for nid, name, country, kind, iata, note, kw in (
        ("turkmenbashi", "Türkmenbaşı port", "TM", "port", "KRW", "port coordinate not in the sources found", dict(aliases="Türkmenbaşı;Turkmenbashi;Turkmenbasy;Türkmenbaşy;Krasnovodsk", handling_h=PORT_H, handling_usd=THC)),
        ("tashkent", "Tashkent", "UZ", "rail_terminal", "TAS", "city; Sergeli and Chukursay stations not located in the sources", dict(aliases="Toshkent;Sergeli;Chukursay")),
        ("kashgar", "Kashgar", "CN", "rail_terminal", "KHG", "city; start of the planned China–Kyrgyzstan–Uzbekistan railway", dict(aliases="Kashi;Kashgar station")),
        ("andijan", "Andijan", "UZ", "rail_terminal", "AZN", "city; end of the planned China–Kyrgyzstan–Uzbekistan railway in the Ferghana valley (Pap in some sources)", dict(aliases="Andizhan",
            gauge_change_h=(4.25, "proxy", "silkroadnews_dostyk_2016", "gauge change for the planned standard-gauge line not published; Dostyk train processing (4 h 15 min) used"),
            gauge_change_usd=(329.0, "proxy", "cpmm_2020", "gauge change cost for the planned line not published; CPMM 2020 gauge change at Dostyk used"))),
        ("sarajevo", "Sarajevo", "BA", "rail_terminal", "SJJ", "city; station not sourced", dict()),
        ("zagreb", "Zagreb", "HR", "rail_terminal", "ZAG", "city; terminal not sourced", dict()),
        ("bar", "Bar port", "ME", "port", "TGD", "Podgorica airport, ~45 km north of the port of Bar (port coordinate not in the sources found)", dict(aliases="Port of Bar;Luka Bar", handling_h=PORT_H, handling_usd=THC)),
        ("saryagash", "Saryagash (KZ–UZ)", "KZ", "border", "CIT", "Shymkent airport, on the Almaty–Tashkent line ~100 km north-east of the Saryagash crossing (crossing coordinate not in the sources found)", dict(aliases="Saryagash;Sary-Agash;Keles",
            border_h=(40.6, "proxy", "cpmm_2022", "Saryagash rail dwell not found; CAREC-wide rail TFI1 2022 (40.6 h) used, as for Brest"),
            border_usd=(215.0, "proxy", "cpmm_2022", "CAREC-wide rail TFI2 2022 (215 USD) used, as for Brest"))),
        ("sarpi", "Sarpi (GE–TR road)", "GE", "border", "BUS", "Batumi airport, ~15 km north of the Sarpi road crossing (crossing coordinate not in the sources found)", dict(aliases="Sarp",
            border_h=(20.8, "published", "cpmm_2022_t36", "CPMM 2022 Sarpi (GE–TR road) outbound time"),
            border_usd=(10.0, "published", "cpmm_2022_t36", "CPMM 2022 Sarpi (GE–TR road) outbound cost"))),
):
    ap_node(nid, name, country, kind, iata, note, **kw)
    NI[nid] = NODES[-1]
# Rail in Uzbekistan and Turkmenistan: no speed of their own found; the KZ–TM–IR–TR test train's average is used.
rail("ashgabat", "turkmenbashi", "south", gauge=1520, tariff="south")
rail("tashkent", "ashgabat", "south", gauge=1520, tariff="south")  # via Bukhara, Farap, Türkmenabat, Mary
rail("almaty", "saryagash", "kz", gauge=1520, tariff="kz")  # via Taraz and Shymkent
rail("saryagash", "tashkent", "kz", gauge=1520, tariff="kz")
rail("tashkent", "aktau", "kz", gauge=1520, tariff="kz", time=(72.0, "news", "uzrail_aktau_2020", "Sergeli (Tashkent) to the port of Aktau in three days via Karakalpakiya"))
rail("urumqi", "kashgar", "cn", gauge=1435, tariff="cn")
rail("andijan", "tashkent", "south", gauge=1520, tariff="south")
link("kashgar", "andijan", "rail", length=(523.0, "claim", "trend_cku_2023", "213 km China + 260 km Kyrgyzstan + 50 km Uzbekistan (planned)"), speed=SPEED["cn"],
     gauge=(1435.0, "assumption", "", "gauge of the planned line not in the sources found; standard gauge from Kashgar with the break at Andijan assumed; change in a scenario"),
     tariff_km=TARIFF_KM["cn"], co2="rail", group="cku",
     status=("planned", "claim", "azernews_cku_2024", "construction launched Dec 2024, 'built within five years': closed by default; a scenario opens it by setting status = open on group cku"))
TM_FERRY_TIME = {"time_dist": ("triangular", "published", "nca_alat_tm_2023", "the source gives a range, Alat–Türkmenbaşı ferry transit 14–20 h: triangular; used for both directions"),
                 "time_min_h": (14.0, "published", "nca_alat_tm_2023", "Alat–Türkmenbaşı ferry transit 14–20 h: least"),
                 "time_mode_h": (17.0, "computed", "nca_alat_tm_2023", "midpoint of the 14–20 h Alat–Türkmenbaşı transit, taken as the most likely value"),
                 "time_max_h": (20.0, "published", "nca_alat_tm_2023", "Alat–Türkmenbaşı ferry transit 14–20 h: greatest")}
link("turkmenbashi", "alat", "ferry", time_tri=TM_FERRY_TIME, tariff_feu=(1200.0, "proxy", "nca_alat_tm_2023", "about 1,200 USD for one truck Alat–Türkmenbaşı (Alat port administration, 2023), charged per FEU; no per-box or per-wagon tariff found"),
     co2="roro_ferry", service="caspian-tm-ferry", group="caspian")
# Serbia as the Balkan hub
rail("belgrade", "sarajevo", "balkan", gauge=1435, tariff="eu", length=(451.0, "news", "fernexpress_bg_sa_2010", "Belgrade–Sarajevo via Šid, Vinkovci, Doboj"))
rail("belgrade", "zagreb", "balkan", gauge=1435, tariff="eu", length=(412.0, "news", "sremska_bg_zg_2018", "Belgrade–Zagreb railway"))
rail("belgrade", "bar", "balkan", gauge=1435, tariff="eu", length=(476.0, "published", "srbrail_bar", "Belgrade–Bar railway (Serbian Railways; other sources 454.8–476.59)"))
# Road where trucks run: Kazakhstan to the Caspian ports, Baku–Tbilisi, Georgia–Türkiye via Sarpi, Belgrade's neighbours.
ROAD_DETOUR = (DETOUR[0], "assumption", "", "no sourced road lengths on these legs; the rail network's median ratio of line length to geodesic (1.22, pyproj) used for roads")
def road(a, b):
    link(a, b, "road", detour=ROAD_DETOUR, speed=SPEED["road"], tariff_km=TARIFF_KM["road"], co2="hgv")
for a, b in (("almaty", "aktau"), ("aktau", "kuryk"), ("alat", "tbilisi"), ("tbilisi", "sarpi"), ("sarpi", "istanbul"),
             ("belgrade", "sarajevo"), ("belgrade", "zagreb"), ("belgrade", "bar"), ("belgrade", "budapest"), ("belgrade", "nis"), ("nis", "skopje")):
    road(a, b)

# ---------------------------------------------------------------- emission factors
for k, v, d in EF:
    src("emission_factor", k, "g_co2e_tkm", v, "g CO2e/t-km", "published", "defra_2025", f"direct (tank-to-wheel) factor: {d}")

# ---------------------------------------------------------------- issue 14: cargo classes, units of carriage, WTW
import cargo_data
REFS.update(cargo_data.REFS)
cargo_data.add_sources(src, EF)

# ---------------------------------------------------------------- issue 13: rail leg variability
REFS["dhl_index1520_2024"] = ("DHL via index1520.com (ERAI portal), Jan 2024: Northern route, Chinese border -> Polish border 6–8 days by container train", "https://index1520.com", "P", "")
# A lognormal whose central 95 % spans 6–8 days around 7: sigma = ln(8/6) / (2 x 1.96) = 0.073,
# which for a lognormal is also its coefficient of variation to three decimals.
_RAIL_CV = round(math.log(8 / 6) / (2 * 1.96), 3)
for rec in LINKS:
    if rec["mode"] == "rail" and "time_dist" not in rec:
        on_1520 = rec.get("gauge_mm") == 1520
        rec["time_cv"] = _RAIL_CV
        src("link", rec["id"], "time_cv", _RAIL_CV, "", "computed" if on_1520 else "proxy", "dhl_index1520_2024",
            ("" if on_1520 else "no spread published for this network; the 1520-mm figure used: ")
            + "DHL's 6–8 days Chinese border -> Polish border read as the central 95 % of a lognormal around its mean (cv = ln(8/6) / 3.92); "
            "the only published transit range found for a rail section on the corridor (it includes the Brest crossing, so it may overstate the moving part); change in a scenario (time_cv of mode rail)")

# ---------------------------------------------------------------- write
def fc(features): return {"type": "FeatureCollection", "features": features}
nodes_fc = fc([{"type": "Feature", "properties": {k: v for k, v in n.items() if k not in ("lat", "lon") and v != ""}, "geometry": {"type": "Point", "coordinates": [n["lon"], n["lat"]]}} for n in NODES])
links_fc = fc([{"type": "Feature", "properties": {k: v for k, v in l.items() if k != "_coords"}, "geometry": {"type": "LineString", "coordinates": l["_coords"]}} for l in LINKS])
svc_fc = fc([{"type": "Feature", "properties": s, "geometry": None} for s in SERVICES])
for name, obj in (("nodes", nodes_fc), ("links", links_fc), ("services", svc_fc)):
    (OUT / f"{name}.geojson").write_text(json.dumps(obj, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
with open(OUT / "emission_factors.csv", "w", newline="", encoding="utf-8") as fh:
    w = csv.writer(fh); w.writerow(["key", "g_co2e_tkm", "g_co2e_tkm_wtw", "description"])
    for k, v, d in EF: w.writerow([k, v, cargo_data.wtw(k, v), d])
cargo_data.write(OUT)
with open(OUT / "references.csv", "w", newline="", encoding="utf-8") as fh:
    w = csv.writer(fh); w.writerow(["ref", "citation", "url", "status"])
    for k, (c, u, s, _) in REFS.items(): w.writerow([k, c, u, s])
SC = json.loads((HERE / "scenario_sources.json").read_text(encoding="utf-8"))
SOURCES.extend(SC)
# the levels of the bundled studies (scenarios/studies/*.toml)
SOURCES.extend(json.loads((HERE / "study_sources.json").read_text(encoding="utf-8")))
with open(OUT / "sources.csv", "w", newline="", encoding="utf-8") as fh:
    w = csv.DictWriter(fh, fieldnames=["component", "id", "attribute", "value", "unit", "basis", "ref", "note"]); w.writeheader()
    for r in SOURCES:
        assert r["basis"] in ("published", "news", "claim", "computed", "proxy", "assumption", "definition"), r
        assert r["ref"] in REFS or (r["basis"] in ("assumption", "definition") and not r["ref"]), r
        assert r["basis"] != "assumption" or r["note"], r
        w.writerow(r)
for k, why in sorted(RAIL_STRAIGHT.items()):
    print(f"rail {k}: straight segment ({why})")
print(len(NODES), "nodes", len(LINKS), "links", len(SERVICES), "services", len(SOURCES), "source rows")
