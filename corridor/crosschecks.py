"""Cross-checks: published figures the model was not built from, reported beside the model.

A calibration target (:data:`corridor.calibrate.TARGETS`) is asserted by the tests within
its tolerance. A cross-check is another published figure: a door-to-door time (``X…``) or
a price (``P…``) on a lane or route family, with its source in ``geodata/references.csv``
(:attr:`~corridor.calibrate.Target.refs`). None of them set an input of the model, so they
test the sum of the sourced components. They are reported, never asserted: the table says
whether the model lies inside the published figure or range, and by how much it lies
outside. :func:`cross_checks` simulates them with the calibration's probes (one FEU a week
on the figure's lane, the scenario's own demand as background); ``corridor calibration
--cross-checks`` prints the table. Each check's ``note`` says where its scope differs from
the probe's, and which input it shares a source with.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import pandas as pd

from corridor.calibrate import Probe, Target, _cost_usd, _transit_days, calibration
from corridor.network import Network
from corridor.results.frames import Results
from corridor.routes import estimate, find_routes

__all__ = ["CROSS_CHECKS", "cross_checks"]

_MC = ("kuryk", "batumi", "suez", "cape", "moscow", "tehran", "dostyk")
#: The Middle Corridor's Türkiye branch: Caspian feeder, Baku–Tbilisi–Kars.
_MC_TR = ("kuryk", "poti", "batumi", "constanta", "suez", "cape", "moscow", "tehran", "dostyk")
_NORTHERN = ("aktau", "khorgos")
_TITR_2024 = "TITR working group schedules, Trend, 31 May 2024"
_NAVIS = "official TITR guidance quoted by forwarders (navisgroup.com.ua, 27 Aug 2025)"


def _cost_ratio(numerator: Probe, denominator: Probe) -> Callable[[Results | None, Network], float]:
    """The static cost per FEU (:func:`corridor.routes.estimate`) of one probe's path over another's."""

    def measure(_res: Results | None, net: Network) -> float:
        cn = net.compile()
        costs = []
        for p in (numerator, denominator):
            [route, *_] = find_routes(
                net,
                p.origin,
                p.destination,
                k=1,
                via=p.via,
                modes=p.modes,
                avoid=p.avoid,
                sources=["paths"],
                prune=False,
            )
            costs.append(estimate(cn, [cn.link_index[lid] for lid in route.links]).cost_usd)
        return costs[0] / costs[1]

    return measure


def _x(
    cid: str,
    what: str,
    published: str,
    days: tuple[float, float],
    source: str,
    probe: Probe,
    *,
    refs: tuple[str, ...],
    note: str = "",
) -> Target:
    """A door-to-door time cross-check: mean transit days of the probe's delivered shipments."""
    return Target(
        cid, what, published, "days", days[0], days[1], "–", source, probe, _transit_days, note=note, refs=refs
    )


_TIMES: tuple[Target, ...] = (
    _x(
        "X1",
        "Xi'an -> Baku by block train, monthly average",
        "16 days (Jan 2026), 17 (Dec 2025)",
        (16, 17),
        "Beijing Trans Eurasia Logistics via Trend, 24 Jan 2026",
        Probe("xian", "alat", via=("aktau",), avoid=_MC),
        refs=("trend_bte_2026",),
    ),
    _x(
        "X2",
        "Altynkol -> Absheron (Baku)",
        "9 days",
        (9, 9),
        _TITR_2024,
        Probe("khorgos", "alat", via=("aktau",), avoid=_MC),
        refs=("trend_titr_2024",),
    ),
    _x(
        "X3",
        "Altynkol -> Poti/Batumi",
        "12 days",
        (12, 12),
        _TITR_2024,
        Probe("khorgos", "poti", via=("aktau", "alat"), avoid=_MC),
        refs=("trend_titr_2024",),
    ),
    _x(
        "X4",
        "Altynkol -> Constanța via Poti",
        "20–22 days",
        (20, 22),
        _TITR_2024,
        Probe("khorgos", "constanta", via=("aktau", "alat", "poti"), avoid=_MC),
        refs=("trend_titr_2024",),
    ),
    _x(
        "X5",
        "Xi'an -> Duisburg, Northern route, standard",
        "12–14 days",
        (12, 14),
        "shiphub.co; index1520.com (DHL, 2024)",
        Probe("xian", "duisburg", via=("dostyk", "moscow"), modes=("rail",), avoid=_NORTHERN),
        refs=("shiphub_xian_duisburg",),
    ),
    _x(
        "X6",
        "Xi'an -> Małaszewicze, Northern route",
        "12–14 days",
        (12, 14),
        "navisgroup.com.ua, 27 Aug 2025",
        Probe("xian", "malaszewicze", via=("dostyk", "moscow"), modes=("rail",), avoid=_NORTHERN),
        refs=("navisgroup_2025",),
    ),
    _x(
        "X7",
        "China -> Europe by sea (Shanghai -> Piraeus, door to door)",
        "28–40 days (WB); 30–45 (forwarders)",
        (28, 40),
        "World Bank via EY, Apr 2024; forwarders (dtfulogistics)",
        Probe("shanghai", "piraeus", via=("suez",), modes=("sea",), avoid=("poti", "cape", "aktau", "alat")),
        refs=("ey_titr_2024",),
    ),
    _x(
        "X8",
        "Almaty -> Aktau -> Alat -> Poti",
        "20 days (late 2025; over 30 a few months before)",
        (20, 20),
        "Argus via report.az (late 2025)",
        Probe("almaty", "poti", via=("aktau", "alat"), avoid=_MC),
        refs=("argus_reportaz_2025_times",),
    ),
    _x(
        "X9",
        "Xi'an -> Altynkol -> Aktau -> Alat -> Absheron (Baku) container train",
        "15–20 days (December), 16–21 (January)",
        (15, 21),
        "Argus via inbusiness.kz (2025 or 2026)",
        Probe("xian", "alat", via=("aktau",), avoid=_MC),
        refs=("argus_inbusiness_times",),
    ),
    _x(
        "X10",
        "China -> Europe by Middle Corridor route train, average (Xi'an -> Constanța via Poti)",
        "20–25 days",
        (20, 25),
        "Trend via menafn, 14 Jan 2024",
        Probe("xian", "constanta", via=("aktau", "alat", "poti"), avoid=_MC),
        refs=("trend_menafn_2024",),
    ),
    _x(
        "X11",
        "Xi'an -> Duisburg via the Caspian and the Black Sea, average Aug–Oct 2024",
        "30 days",
        (30, 30),
        "Beijing Trans Eurasia Logistics (W. Dong) via Report, Black Sea–Caspian Logistics Forum, 9 Sep 2025",
        Probe("xian", "duisburg", via=("aktau", "alat", "poti", "constanta"), avoid=_MC),
        refs=("bte_forum_2025",),
        note="the operator's route west of the Black Sea is not given; the model's runs Constanța -> Belgrade -> "
        "Budapest -> Warsaw -> Duisburg",
    ),
    _x(
        "X12",
        "Xi'an -> Budapest via the Caspian, Poti and Constanța",
        "32–37 days (to Budapest, Duisburg or Milan)",
        (32, 37),
        _NAVIS,
        Probe("xian", "budapest", via=("aktau", "alat", "poti", "constanta"), avoid=_MC),
        refs=("navisgroup_2025",),
        note="the same guidance gives V21's 31–34 days to Constanța; the model goes on by rail via Belgrade",
    ),
    _x(
        "X13",
        "Chongqing -> Duisburg, Northern route (border dwell included)",
        "16–18 days",
        (16, 18),
        "navisgroup.com.ua, 27 Aug 2025",
        Probe("chongqing", "duisburg", via=("dostyk", "moscow"), modes=("rail",), avoid=_NORTHERN),
        refs=("navisgroup_2025",),
    ),
    _x(
        "X14",
        "Chongqing -> Istanbul (Halkalı) via the Caspian and Baku–Tbilisi–Kars, first regular train",
        "22 days (29 Jun -> 21 Jul 2025)",
        (22, 22),
        "Xinhua via People's Daily, 29 Jul 2025",
        Probe("chongqing", "istanbul", via=("aktau", "alat", "kars"), avoid=_MC_TR),
        refs=("xinhua_chongqing_istanbul_2025",),
        note="one train; the model's is a weekly probe's mean",
    ),
    _x(
        "X15",
        "Xi'an -> Tehran by rail via Kazakhstan and Turkmenistan (southern route)",
        "15 days (test train, Jul 2024)",
        (15, 15),
        "News.az citing The Times of Central Asia, 31 Jul 2024",
        Probe("xian", "tehran", via=("ashgabat",), modes=("rail",), avoid=("aktau", "kuryk", "alat", "moscow")),
        refs=("newsaz_china_iran_2024",),
        note="'cargo delivery between China and Iran will be reduced to 15 days' (a pilot's expected time); the "
        "model's southern rail speed comes from another test train (KZ–TM–IR–TR, orient_tm_2022)",
    ),
    _x(
        "X16",
        "Ningbo -> Piraeus by sea, rail to Budapest (China–Europe Land-Sea Express)",
        "26 days (first trains, Jan–Feb 2017)",
        (26, 26),
        "Xinhua via the Institute of European Studies, CASS (Feb 2017)",
        Probe(
            "ningbo",
            "budapest",
            via=("suez", "piraeus"),
            avoid=("aktau", "kuryk", "alat", "poti", "batumi", "constanta", "moscow", "tehran", "cape"),
        ),
        refs=("xinhua_piraeus_budapest_2017",),
        note="a 2017 figure on baseline-2025; the model's Piraeus rail speed comes from the 2014 Piraeus -> "
        "Preševo train (plutonlogistics_2014)",
    ),
)

_XIAN_BELGRADE_MC = Probe("xian", "belgrade", via=("aktau", "alat", "poti", "constanta"), avoid=_MC)
_XIAN_BELGRADE_NR = Probe("xian", "belgrade", via=("dostyk", "moscow"), modes=("rail",), avoid=_NORTHERN)
_PRICES: tuple[Target, ...] = (
    Target(
        "P1",
        "China -> Russia by rail (Xi'an -> Moscow via Dostyk)",
        "USD 4,500–5,100 per 40' (autumn 2025)",
        "USD/FEU",
        4500,
        5100,
        "–",
        "Price Index Center via deliver-2.com (autumn 2025)",
        Probe("xian", "moscow", via=("dostyk",), modes=("rail",), avoid=_NORTHERN),
        _cost_usd,
        note="mean price per FEU of the probe's shipments; the published range gives no origin city",
        refs=("pic_china_russia_2025",),
    ),
    Target(
        "P2",
        "Tashkent -> Derince (Istanbul) via Aktau–Baku and Baku–Tbilisi–Kars",
        "USD 4,284 per 40' (Apr 2020)",
        "USD/FEU",
        4284,
        4284,
        "–",
        "interrail.ru tariff, 1 Apr 2020",
        Probe("tashkent", "istanbul", via=("aktau", "alat", "kars"), avoid=_MC_TR),
        _cost_usd,
        note="the model ends at Istanbul (Halkalı), beyond Derince; the tariff excludes destination station fees "
        "and is of 2020, the model's rates of 2025 (Caspian and Caucasus rates are 2018 proxies)",
        refs=("interrail_2020",),
    ),
    Target(
        "P3",
        "Middle Corridor price over other routes (Xi'an -> Belgrade: via Aktau, Poti and Constanța / Northern)",
        "'up to 1.5 times' (Feb 2024)",
        "ratio",
        1.0,
        1.5,
        "–",
        "AsstrA (R. Akhmetova) via Trend, 17 Feb 2024",
        None,
        _cost_ratio(_XIAN_BELGRADE_MC, _XIAN_BELGRADE_NR),
        note="the static cost per FEU of each route (corridor.routes.estimate: tariffs and charges, no storage); "
        "the source names no lane, so one the model serves by both routes",
        refs=("asstra_trend_2024",),
    ),
    Target(
        "P4",
        "Asia -> Mediterranean sea rate (Shanghai -> Piraeus against Drewry's Shanghai -> Genoa)",
        "USD 2,193 (13 Nov 2025) – 2,300 (late Nov 2025) per 40'",
        "USD/FEU",
        2193,
        2300,
        "–",
        "Drewry World Container Index via maritime-economies.eu and interiordaily.com (Nov 2025)",
        Probe("shanghai", "piraeus", via=("suez",), modes=("sea",), avoid=("poti", "cape", "aktau", "alat")),
        _cost_usd,
        note="V14's probe: the model's Asia–Mediterranean rate (Argus' Shanghai–Poti midpoint, a different source) "
        "plus the charges at Piraeus; the index has no Piraeus lane, Genoa is its Mediterranean port",
        refs=("drewry_wci_2025",),
    ),
)

#: Every cross-check: door-to-door times (X…) and prices (P…) the model was not built from.
CROSS_CHECKS: tuple[Target, ...] = _TIMES + _PRICES


def cross_checks(
    *,
    checks: Sequence[Target] = CROSS_CHECKS,
    skip: Sequence[str] = (),
    replications: int = 2,
    seed: int = 20251103,
) -> pd.DataFrame:
    """Simulate the cross-checks and place each model value against its published figure.

    Parameters
    ----------
    checks
        The cross-checks (default: :data:`CROSS_CHECKS`).
    skip
        Ids to leave out.
    replications, seed
        Of each calibration run (:func:`corridor.calibrate.calibration`).

    Returns
    -------
    pandas.DataFrame
        One row per check: ``check, what, published, source, refs, scenario, low, high,
        simulated, unit, position`` (``inside``, ``above`` or ``below`` the published
        figure or range), ``off`` (model minus the nearer bound, 0 inside, in ``unit``),
        ``off_pct`` (``off`` over that bound, %) and ``note``. Reported, never asserted.
    """
    table = calibration(targets=checks, skip=skip, replications=replications, seed=seed)
    refs = {c.id: ", ".join(c.refs) for c in checks}
    value, low, high = table["simulated"], table["low"], table["high"]
    off = np.where(value > high, value - high, np.where(value < low, value - low, 0.0))
    bound = np.where(value > high, high, low)
    return pd.DataFrame(
        {
            "check": table["target"],
            "what": table["what"],
            "published": table["published"],
            "source": table["source"],
            "refs": table["target"].map(refs),
            "scenario": table["scenario"],
            "low": low,
            "high": high,
            "simulated": value,
            "unit": table["unit"],
            "position": np.where(off > 0, "above", np.where(off < 0, "below", "inside")),
            "off": off,
            "off_pct": 100 * off / bound,
            "note": table["note"],
        }
    )
