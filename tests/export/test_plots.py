"""Plots: valid, non-empty PNG and SVG files with the expected labels and marks."""

from __future__ import annotations

import struct
import xml.etree.ElementTree as ET

import pandas as pd
import pytest

from thematic.errors import ParameterError
from thematic.export import export

SVG = "{http://www.w3.org/2000/svg}"


def _png_size(path):
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def _svg_texts(path):
    root = ET.parse(path).getroot()
    assert root.tag == f"{SVG}svg"
    return root, ["".join(t.itertext()) for t in root.iter(f"{SVG}text")]


@pytest.fixture
def matrix():
    return pd.DataFrame({"P01": [2, 0, 1], "P02": [1, 3, 0]},
                        index=pd.Index(["heard", "cost $5 & up", "belonging"], name="code"))


@pytest.fixture
def cooc():
    codes = ["heard", "belonging", "cost", "stigma"]
    return pd.DataFrame([[5, 3, 0, 1], [3, 4, 1, 0], [0, 1, 2, 0], [1, 0, 0, 3]], index=codes, columns=codes)


def test_heatmap_png_and_svg(matrix, tmp_path):
    export("matrix", matrix, tmp_path / "m.png")
    width, height = _png_size(tmp_path / "m.png")
    assert width > 200 and height > 150
    export("matrix", matrix, tmp_path / "m.svg")
    root, texts = _svg_texts(tmp_path / "m.svg")
    assert {"heard", "cost $5 & up", "belonging", "P01", "P02"} <= set(texts)
    assert {"0", "1", "2", "3"} <= set(texts)  # the cell values
    assert root.find(f".//{SVG}image") is not None  # the heatmap raster


def test_svg_is_reproducible(matrix, tmp_path):
    export("matrix", matrix, tmp_path / "a.svg")
    export("matrix", matrix, tmp_path / "b.svg")
    assert (tmp_path / "a.svg").read_bytes() == (tmp_path / "b.svg").read_bytes()


def test_cooccurrence_network(cooc, tmp_path):
    export("cooccurrence", cooc, tmp_path / "n.svg", random_state=3)
    root, texts = _svg_texts(tmp_path / "n.svg")
    assert {"heard", "belonging", "cost", "stigma", "Code co-occurrence"} <= set(texts)
    edges = sorted(g.get("id") for g in root.iter(f"{SVG}g") if (g.get("id") or "").startswith("edge "))
    assert edges == ["edge 0-1", "edge 0-3", "edge 1-2"]  # the pairs that co-occur
    export("cooccurrence", cooc, tmp_path / "n.png")
    assert _png_size(tmp_path / "n.png")[0] > 300


def test_network_needs_a_square_matrix(matrix, tmp_path):
    with pytest.raises(ParameterError, match="needs a square matrix"):
        export("cooccurrence", matrix, tmp_path / "n.png")
    assert not (tmp_path / "n.png").exists()


def test_saturation_curve_with_band(tmp_path):
    result = {"curve": pd.DataFrame({"order": [1, 2, 3, 4], "new_codes": [5, 2, 1, 0],
                                     "cumulative_codes": [5, 7, 8, 8]}),
              "band": pd.DataFrame({"order": [1, 2, 3, 4], "median": [4, 6, 7.5, 8],
                                    "low": [3, 5, 7, 8], "high": [5, 7, 8, 8]}),
              "summary": {"saturation_point": 3}}
    export("saturation", result, tmp_path / "s.svg")
    _, texts = _svg_texts(tmp_path / "s.svg")
    assert {"Interviews", "Codes", "bootstrap interquartile range", "bootstrap median",
            "saturation at 3"} <= set(texts)
    export("saturation", result, tmp_path / "s.png")
    assert _png_size(tmp_path / "s.png")[0] > 300


def test_thematic_map(themes, theme_codes, tmp_path):
    theme_codes = pd.concat([theme_codes, pd.DataFrame({"theme": ["Connection"], "code": ["own"]})])
    data = {"themes": themes, "theme_codes": theme_codes,
            "code_names": {"heard": "Feeling heard", "belonging": "Belonging (code)"}}
    export("thematic-map", data, tmp_path / "map.svg")
    _, texts = _svg_texts(tmp_path / "map.svg")
    assert {"Connection", "Being heard", "Belonging", "Feeling heard", "Belonging (code)",
            "Cost & access", "cost", "own"} <= set(texts)  # a theme's own code as well as its subthemes
    export("thematic-map", data, tmp_path / "map.png")
    assert _png_size(tmp_path / "map.png")[1] > 100


def test_network_lists_codes_that_co_occur_with_none(cooc, tmp_path):
    lonely = cooc.copy()
    lonely["lonely"] = 0
    lonely.loc["lonely"] = 0
    lonely.loc["lonely", "lonely"] = 4
    export("cooccurrence", lonely, tmp_path / "n.svg")
    _, texts = _svg_texts(tmp_path / "n.svg")
    assert "lonely" not in texts  # not drawn as a node
    assert "Co-occurring with no other code: lonely" in texts
