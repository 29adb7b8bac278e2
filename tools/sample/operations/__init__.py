"""The 20 operation samples, one module each, listed in the order of the registry.

The order is the order of the inventory file and of the generator's summary;
``gapcheck/data/operations.yaml`` gives the same order.
"""

from __future__ import annotations

from ..model import OperationSample
from . import (
    hojin_juminzei,
    inkan,
    jido_fuyo_teate,
    jido_teate,
    juki,
    kaigo,
    keijidoshazei,
    kenko_kanri,
    kodomo_kosodate,
    kojin_juminzei,
    koki_korei,
    kokuho,
    kokumin_nenkin,
    koseki,
    koseki_fuhyo,
    kotei_shisanzei,
    seikatsu_hogo,
    senkyo,
    shogai_fukushi,
    shugaku,
)

OPERATIONS: list[OperationSample] = [
    juki.SAMPLE,
    senkyo.SAMPLE,
    kotei_shisanzei.SAMPLE,
    kojin_juminzei.SAMPLE,
    hojin_juminzei.SAMPLE,
    keijidoshazei.SAMPLE,
    shugaku.SAMPLE,
    kokumin_nenkin.SAMPLE,
    kokuho.SAMPLE,
    koki_korei.SAMPLE,
    kaigo.SAMPLE,
    shogai_fukushi.SAMPLE,
    seikatsu_hogo.SAMPLE,
    kenko_kanri.SAMPLE,
    jido_teate.SAMPLE,
    jido_fuyo_teate.SAMPLE,
    inkan.SAMPLE,
    koseki.SAMPLE,
    koseki_fuhyo.SAMPLE,
    kodomo_kosodate.SAMPLE,
]
