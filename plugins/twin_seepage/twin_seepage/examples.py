"""Illustrative sections (invented geometry and soils, not a surveyed work) for tests and demos."""

from __future__ import annotations

from twin_seepage.sections import Boundary, Layer, Piezometer, Section, SheetPile, Soil, Wall


def flood_wall_section(river_level: float = 4.5, land_level: float = 1.5,
                       pile_tip: float = -12.0, width: float = 150.0) -> Section:
    """Return an illustrative Huangpu-type flood wall on a clay blanket over silty sand.

    A concrete wall (base 6 m wide at z = 1 m, crest 6.5 m) with a sheet-pile cut-off from its
    base down to ``pile_tip``; a 6 m clay blanket (river bed at -2 m, bank slope up to 3 m, land
    surface at 2.5 m) over 16 m of silty sand on an impermeable base at -20 m. The land-side
    boundary runs along the surface (seepage face) and down the far vertical face, where the
    groundwater is held at ``land_level``. Heights are in an unspecified local datum.
    """
    clay = Soil("clay blanket", 1e-8, 5e-9, ss=1e-3, sy=0.05, gs=2.72, void_ratio=0.9,
                soil_type="medium_clay")
    sand = Soil("silty sand", 2e-5, 1e-5, ss=1e-4, sy=0.15, gs=2.67, void_ratio=0.75,
                d70=1.8e-4, d10=6e-5, soil_type="very_fine_sand_or_silt")
    x_end = width
    blanket = [(0, -4), (x_end, -4), (x_end, 2.5), (53, 2.5), (53, 1), (47, 1), (47, 3),
               (45, 3), (30, -2), (0, -2)]
    wall = [(47, 1), (53, 1), (53, 2.5), (50.5, 2.5), (50.5, 6.5), (49.5, 6.5), (49.5, 3),
            (47, 3)]
    return Section(
        name="illustrative flood wall",
        description="illustrative: invented geometry and soils, not a surveyed section",
        layers=[Layer("blanket", blanket, clay),
                Layer("aquifer", [(0, -20), (x_end, -20), (x_end, -4), (0, -4)], sand)],
        walls=[Wall("flood wall", wall)],
        sheet_piles=[SheetPile("cut-off", [(50, 1), (50, pile_tip)])],
        river=Boundary([(0, -20), (0, -2), (30, -2), (45, 3), (47, 3)], level=river_level),
        land=Boundary([(53, 2.5), (x_end, 2.5), (x_end, -20)], level=land_level),
        piezometers=[Piezometer("P1", 56.0, -6.0), Piezometer("P2", 70.0, -6.0),
                     Piezometer("P3", 60.0, 0.5)],
    )
