"""folium elements written out as finished text: the map's own parts never go through Jinja (loaded text is never
evaluated), and layers that do not change are rendered once and reused in every map document."""

from __future__ import annotations

import html
import json
import math
from collections.abc import Sequence
from dataclasses import dataclass

import folium
from branca.element import Element, Figure, MacroElement
from folium.elements import ElementAddToElement
from folium.plugins import FastMarkerCluster, HeatMap
from folium.template import Template

from lagesbild.render.folium_offline import CLUSTER_CSS, CLUSTER_JS, HEAT_JS, offline_map


class Literal(Element):
    """Finished HTML or JavaScript, put into the map's document as it is."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text

    def render(self, **kwargs) -> str:
        return self.text


class LiteralMacros(MacroElement):
    """MacroElement.render, but each macro's output goes into the document as Literal text.

    branca adds a rendered macro as Element(text), which parses and compiles that text as a Jinja template: a few
    hundred compilations per map, one of them over all the incident data (most of the map's build time), and text
    from the store that looks like Jinja (`{{ ... }}` in a summary or a title) would be evaluated on the server.
    Mixed in after a folium class, `class _X(folium.X, LiteralMacros)`, this class comes right before MacroElement
    in the method resolution order, so folium's own render steps still run and end here instead.
    """

    def get_name(self) -> str:  # branca builds the name again at every call, a thousand times per map
        key = (self._name, self._id)
        if self.__dict__.get("_name_key") != key:
            self._name_key, self._full_name = key, super().get_name()
        return self._full_name

    def render(self, **kwargs) -> None:
        figure = self.get_root()
        assert isinstance(figure, Figure), "You cannot render this Element if it is not in a Figure."
        render_macros(self, figure, kwargs)
        for element in self._children.values():
            if type(element) is ElementAddToElement:  # folium's `layer.addTo(parent);`, added by Layer.render
                render_macros(element, figure, kwargs)
            else:
                element.render(**kwargs)


def render_macros(element: MacroElement, figure: Figure, kwargs: dict) -> None:
    """What MacroElement.render adds to the document, as Literal text."""
    macros = element._template.module.__dict__
    for part in ("header", "html", "script"):
        macro = macros.get(part)
        if macro is not None:
            getattr(figure, part).add_child(Literal(macro(element, kwargs)), name=element.get_name())


MAP_NAME_ID = "lagesbild"  # one map per document: a fixed name, so parts rendered once fit every document


class TextMap(folium.Map, LiteralMacros):
    @classmethod
    def _generate_id(cls) -> str:
        return MAP_NAME_ID


class TextMarker(folium.Marker, LiteralMacros):
    class SetIcon(folium.Marker.SetIcon, LiteralMacros):
        pass


class TextDivIcon(folium.DivIcon, LiteralMacros):
    pass


class TextTooltip(folium.Tooltip, LiteralMacros):
    pass


class TextGeoJson(folium.GeoJson, LiteralMacros):
    pass


class TextFeatureGroup(folium.FeatureGroup, LiteralMacros):
    pass


class TextCustomPane(folium.map.CustomPane, LiteralMacros):
    pass


class TextTileLayer(folium.TileLayer, LiteralMacros):
    pass


class TextLayerControl(folium.LayerControl, LiteralMacros):
    pass


class TextPopup(folium.Popup):
    def render(self, **kwargs) -> None:  # folium's Popup.render, with the rendered popup added as Literal
        for child in self._children.values():
            child.render(**kwargs)
        self.get_root().script.add_child(Literal(self._template.render(this=self, kwargs=kwargs)),
                                         name=self.get_name())


class TextFastMarkerCluster(FastMarkerCluster, LiteralMacros):
    """FastMarkerCluster over rows given as JSON text (_Incidents): folium would check every one of thousands of rows
    again and serialise them in its template. The template is folium's, with the JSON put in as it is."""

    _template = Template("""
        {% macro script(this, kwargs) %}
            var {{ this.get_name() }} = (function(){
                {{ this.callback }}

                var data = {{ this.data_json }};
                var cluster = L.markerClusterGroup({{ this.options|tojavascript }});
                {%- if this.icon_create_function is not none %}
                cluster.options.iconCreateFunction =
                    {{ this.icon_create_function.strip() }};
                {%- endif %}

                for (var i = 0; i < data.length; i++) {
                    var row = data[i];
                    var marker = callback(row);
                    marker.addTo(cluster);
                }

                cluster.addTo({{ this._parent.get_name() }});
                return cluster;
            })();
        {% endmacro %}""")

    def __init__(self, rows_json: str, **kwargs) -> None:
        super().__init__([], **kwargs)
        self.data_json = rows_json
        self.default_js, self.default_css = list(CLUSTER_JS), list(CLUSTER_CSS)


class TextHeatMap(HeatMap, LiteralMacros):
    """folium_offline.heat_map's HeatMap (Leaflet.heat served locally) over [lat, lon] pairs given as JSON text (folium
    would check them again point by point). The template is folium's, with the JSON put in as it is."""

    _template = Template("""
        {% macro script(this, kwargs) %}
            var {{ this.get_name() }} = L.heatLayer(
                {{ this.data_json }},
                {{ this.options|tojavascript }}
            );
        {% endmacro %}
        """)

    def __init__(self, coords_json: str, **kwargs) -> None:
        super().__init__([], **kwargs)
        self.data_json = coords_json
        self.default_js = list(HEAT_JS)


class MapScript(LiteralMacros):
    """JavaScript that runs after the map exists (a child of the map renders after the map is created)."""

    _template = Template("{% macro script(this, kwargs) %}{{ this.js }}{% endmacro %}")

    def __init__(self, js: str) -> None:
        super().__init__()
        self._name = "MapScript"
        self.js = js


FIGURE_PARTS = ("header", "html", "script")


@dataclass(frozen=True)
class Rendered:
    """Layers as they rendered into a document: each piece with the figure part and the name it was added under."""

    name: str  # the layer's JavaScript variable
    layer_name: str  # its entry in the layer control
    overlay: bool
    control: bool
    show: bool
    pieces: tuple[tuple[str, str, str], ...]  # (figure part, name, text), in the order they were added


def render_once(elements: Sequence[MacroElement]) -> Rendered:
    """Render `elements` (the last one a layer; the others, e.g. its pane, go before it) into a map of their own,
    named as every map is (MAP_NAME_ID), and keep what they added to the document."""
    scratch = offline_map(TextMap)
    figure = scratch.get_root()
    before = {part: set(getattr(figure, part)._children) for part in FIGURE_PARTS}
    for element in elements:
        element.add_to(scratch)
    for element in elements:
        element.render()
    pieces = tuple((part, name, child.render()) for part in FIGURE_PARTS
                   for name, child in getattr(figure, part)._children.items() if name not in before[part])
    layer = elements[-1]
    return Rendered(layer.get_name(), layer.layer_name, layer.overlay, layer.control, layer.show, pieces)


class RenderedLayer(folium.map.Layer, LiteralMacros):
    """A layer rendered once (render_once) put into a map as the text it rendered to: listed in the layer control
    under its own name, as the layer itself would be."""

    def __init__(self, rendered: Rendered) -> None:
        super().__init__(name=rendered.layer_name, overlay=rendered.overlay, control=rendered.control,
                         show=rendered.show)
        self.rendered = rendered

    def get_name(self) -> str:
        return self.rendered.name

    def render(self, **kwargs) -> None:
        figure = self.get_root()
        assert isinstance(figure, Figure), "You cannot render this Element if it is not in a Figure."
        for part, name, text in self.rendered.pieces:
            getattr(figure, part).add_child(Literal(text), name=name)


def safe_text(value: object) -> str:
    """Text for HTML that folium puts inside a JavaScript template literal: HTML-escaped, and the three
    characters that could end or interpolate the literal (` $ \\) written as entities."""
    text = "" if value is None or (isinstance(value, float) and math.isnan(value)) else str(value)
    text = html.escape(text, quote=True)
    return text.replace("`", "&#96;").replace("$", "&#36;").replace("\\", "&#92;")


def script_json(value: object) -> str:
    """JSON that is safe inside a <script> element (no '</script>', no HTML comment openers)."""
    return json.dumps(value, ensure_ascii=False).replace("<", "\\u003c").replace(">", "\\u003e") \
        .replace("&", "\\u0026").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
