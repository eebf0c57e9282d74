"""The chart renderer follows Go template and Sprig semantics for what the chart uses, and refuses
what it does not know, so a chart change it would render wrongly fails here instead."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from wirestream.export.helm_render import Renderer, TemplateError, merged_values


def chart(tmp_path: Path, template: str, values: str = "{}", helpers: str = "") -> Renderer:
    (tmp_path / "templates").mkdir()
    (tmp_path / "Chart.yaml").write_text("apiVersion: v2\nname: demo\nversion: 1.2.3\nappVersion: \"4.5\"\n")
    (tmp_path / "values.yaml").write_text(values)
    (tmp_path / "templates" / "one.yaml").write_text(template)
    if helpers:
        (tmp_path / "templates" / "_helpers.tpl").write_text(helpers)
    return Renderer(tmp_path, merged_values(tmp_path), release="rel", namespace="ns")


@pytest.mark.parametrize(("template", "values", "expected"), [
    ("a: {{ .Values.x }}\n", "x: 1", "a: 1\n"),
    ("a:   {{- .Values.x -}}   \nb", "x: 1", "a:1b"),
    ("{{ if .Values.on }}yes{{ else if .Values.other }}other{{ else }}no{{ end }}", "on: false\nother: ''", "no"),
    ("{{ range $k, $v := .Values.m }}{{ $k }}={{ $v }};{{ end }}", "m: {b: 2, a: 1}", "a=1;b=2;"),
    ("{{ range .Values.l }}[{{ . }}]{{ else }}none{{ end }}", "l: []", "none"),
    ("{{ with .Values.s }}{{ .name }}{{ end }}", "s: {name: x}", "x"),
    ("{{ $a := 1 }}{{ if true }}{{ $a = 2 }}{{ end }}{{ $a }}", "{}", "2"),
    ("{{ .Values.n | default \"d\" | quote }}", "n: ''", '"d"'),
    ("{{ .Values.b | quote }}", "b: true", '"true"'),
    ("x:{{ toYaml .Values.m | nindent 2 }}", "m: {b: [1, 2], a: s}", "x:\n  a: s\n  b:\n  - 1\n  - 2"),
    ("{{ printf \"%s-%s\" .Release.Name .Chart.AppVersion }}", "{}", "rel-4.5"),
    ("{{ \"SCRAM-SHA-512\" | lower | replace \"-\" \"_\" }}", "{}", "scram_sha_512"),
    ("{{ and .Values.a .Values.b }}|{{ or .Values.a .Values.b }}", "a: 0\nb: 3", "0|3"),
    ("{{ eq .Values.p \"x\" \"y\" }}", "p: y", "true"),
    ("{{ (list 1 2) | len }}", "{}", None),
], ids=["a value", "trimming", "else if and else", "a map ranged in key order", "an empty range's else",
        "with", "a variable set inside a block", "default and quote", "a boolean quoted as Go writes it",
        "toYaml and nindent", "printf", "a pipeline of Sprig", "and, or return their operand", "eq with several",
        "an unknown function"])
def test_templates_render_as_helm_would(tmp_path: Path, template: str, values: str, expected: str | None) -> None:
    renderer = chart(tmp_path, template, values)
    if expected is None:
        with pytest.raises(TemplateError, match="len"):
            renderer.render()
        return
    assert renderer.render()["one.yaml"] == expected


def test_include_passes_its_context_and_required_stops_with_the_message(tmp_path: Path) -> None:
    helpers = '{{- define "demo.name" -}}{{ .root.Release.Name }}-{{ .part }}{{- end -}}'
    template = ('name: {{ include "demo.name" (dict "root" . "part" "web") }}\n'
                'image: {{ required "set image" .Values.image }}\n')
    assert chart(tmp_path, template, "image: i", helpers).render()["one.yaml"] == "name: rel-web\nimage: i\n"
    with pytest.raises(TemplateError, match="set image"):
        Renderer(tmp_path, {"image": ""}, release="rel", namespace="ns").render()


def test_values_files_merge_as_helm_merges_them(tmp_path: Path) -> None:
    chart(tmp_path, "a: 1", "a: {b: 1, c: [1, 2]}\nd: x\n")
    overlay = tmp_path / "over.yaml"
    overlay.write_text(yaml.safe_dump({"a": {"c": [3]}, "e": 1}))
    assert merged_values(tmp_path, overlay, {"d": "y"}) == {"a": {"b": 1, "c": [3]}, "d": "y", "e": 1}
