"""Renders the Helm chart in `deploy/helm/wirestream` the way `helm template` does, for the subset
of Go templates and Sprig the chart uses, because no Helm binary installs from a registry here.

Consumes a chart folder and values (the chart's `values.yaml`, then overlays, merged as Helm
merges them); produces the chart's manifests. Supported: actions with `{{-`/`-}}` trimming and
`{{/* comments */}}`; `if`/`else if`/`else`, `range` (lists and maps, with `$i, $v :=`), `with`,
`define`, `template`, variables (`$x :=`, `$`), pipelines and parenthesised pipelines, field
chains on `.` and variables, string, number and boolean literals; the functions `default`,
`quote`, `squote`, `toYaml`, `toJson`, `nindent`, `indent`, `include`, `printf`, `required`,
`eq`, `ne`, `lt`, `gt`, `le`, `ge`, `not`, `and`, `or`, `empty`, `int`, `toString`, `lower`,
`upper`, `trunc`, `trimSuffix`, `trimPrefix`, `replace`, `hasKey`, `list`, `dict`, `merge`,
`ternary`, `join`, `b64enc`, `append`. Anything else raises `TemplateError` naming it, so the chart cannot use
a construct this renderer would get wrong. `helm template` on the chart is the reference: a
machine with Helm should get the same resources (`helm template wirestream deploy/helm/wirestream`).
"""

from __future__ import annotations

import base64
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterator

import yaml


class TemplateError(ValueError):
    """The chart uses something the renderer does not support, or a `required` value is missing."""


# -- lexing ---------------------------------------------------------------------------------------

_ACTION = re.compile(r"\{\{(-\s)?(.*?)(\s-)?\}\}", re.DOTALL)


@dataclass
class _Text:
    text: str


@dataclass
class _Action:
    body: str


def _tokens(source: str) -> list[_Text | _Action]:
    pieces: list[_Text | _Action] = []
    position = 0
    trim_next = False
    for match in _ACTION.finditer(source):
        text = source[position:match.start()]
        if trim_next:
            text = text.lstrip()
        if match.group(1):
            text = text.rstrip()
        pieces.append(_Text(text))
        body = match.group(2).strip()
        if not (body.startswith("/*") and body.endswith("*/")):
            pieces.append(_Action(body))
        trim_next = bool(match.group(3))
        position = match.end()
    tail = source[position:]
    pieces.append(_Text(tail.lstrip() if trim_next else tail))
    return pieces


# -- parsing --------------------------------------------------------------------------------------

@dataclass
class _Node:
    kind: str  # text, output, if, range, with, define, template, assign
    value: Any = None
    branches: list[tuple[str | None, list[_Node]]] = field(default_factory=list)  # (condition, body)
    body: list[_Node] = field(default_factory=list)
    variables: tuple[str, ...] = ()


def _parse(pieces: list[_Text | _Action]) -> tuple[list[_Node], dict[str, list[_Node]]]:
    defines: dict[str, list[_Node]] = {}
    iterator = iter(pieces)
    nodes, stop = _parse_block(iterator, defines)
    if stop is not None:
        raise TemplateError(f"unexpected {{{{ {stop} }}}}")
    return nodes, defines


def _parse_block(pieces: Iterator[_Text | _Action], defines: dict[str, list[_Node]]
                 ) -> tuple[list[_Node], str | None]:
    nodes: list[_Node] = []
    for piece in pieces:
        if isinstance(piece, _Text):
            if piece.text:
                nodes.append(_Node("text", piece.text))
            continue
        body = piece.body
        keyword = body.split(None, 1)[0] if body else ""
        rest = body[len(keyword):].strip()
        if keyword in ("end", "else"):
            return nodes, body
        if keyword == "if":
            nodes.append(_parse_if(rest, pieces, defines))
        elif keyword in ("range", "with"):
            variables: tuple[str, ...] = ()
            declared = re.match(r"(\$\w+)\s*(?:,\s*(\$\w+))?\s*:=\s*(.*)$", rest, re.DOTALL)
            if declared:
                variables = tuple(v for v in declared.group(1, 2) if v)
                rest = declared.group(3)
            inner, stop = _parse_block(pieces, defines)
            node = _Node(keyword, rest, body=inner, variables=variables)
            if stop == "else":
                otherwise, stop = _parse_block(pieces, defines)
                node.branches = [(None, otherwise)]
            if stop != "end":
                raise TemplateError(f"{keyword} without end")
            nodes.append(node)
        elif keyword == "define":
            name = _string_literal(rest)
            inner, stop = _parse_block(pieces, defines)
            if stop != "end":
                raise TemplateError(f"define {name} without end")
            defines[name] = inner
        elif keyword == "template":
            nodes.append(_Node("template", rest))
        elif re.match(r"\$\w+\s*:?=", body):
            nodes.append(_Node("assign", body))
        else:
            nodes.append(_Node("output", body))
    return nodes, None


def _parse_if(condition: str, pieces: Iterator[_Text | _Action], defines: dict[str, list[_Node]]) -> _Node:
    node = _Node("if")
    while True:
        body, stop = _parse_block(pieces, defines)
        node.branches.append((condition, body))
        if stop == "end":
            return node
        if stop is None:
            raise TemplateError("if without end")
        if stop.startswith("else if"):
            condition = stop[len("else if"):].strip()
        elif stop == "else":
            otherwise, stop = _parse_block(pieces, defines)
            node.branches.append((None, otherwise))
            if stop != "end":
                raise TemplateError("else without end")
            return node
        else:
            raise TemplateError(f"unexpected {{{{ {stop} }}}}")


def _string_literal(text: str) -> str:
    text = text.strip()
    if len(text) < 2 or text[0] != '"' or text[-1] != '"':
        raise TemplateError(f"expected a string, got {text!r}")
    return str(json.loads(text))


# -- evaluation -----------------------------------------------------------------------------------

_WORD = re.compile(r'\s*(\(|\)|"(?:[^"\\]|\\.)*"|`[^`]*`|\||[^\s()|]+)')


def _split_words(text: str) -> list[str]:
    words: list[str] = []
    position = 0
    while position < len(text):
        if text[position:].strip() == "":
            break
        match = _WORD.match(text, position)
        if match is None:
            raise TemplateError(f"cannot read {text[position:]!r}")
        words.append(match.group(1))
        position = match.end()
    return words


@dataclass
class _Scope:
    """The dot and the variables of a block; `:=` declares in this block, `=` sets where declared."""

    dot: Any
    variables: dict[str, Any]
    parent: _Scope | None = None

    def child(self, dot: Any) -> _Scope:
        return _Scope(dot, {}, self)

    def lookup(self, name: str) -> Any:
        scope: _Scope | None = self
        while scope is not None:
            if name in scope.variables:
                return scope.variables[name]
            scope = scope.parent
        raise TemplateError(f"undefined variable {name}")

    def assign(self, name: str, value: Any) -> None:
        scope: _Scope | None = self
        while scope is not None:
            if name in scope.variables:
                scope.variables[name] = value
                return
            scope = scope.parent
        raise TemplateError(f"assignment to undeclared variable {name}")


def _truthy(value: Any) -> bool:
    return value not in (None, False, 0, "") and not (isinstance(value, (list, dict, tuple)) and not value)


def _to_yaml(value: Any) -> str:
    if value is None:
        return "null"
    return str(yaml.safe_dump(value, sort_keys=True, default_flow_style=False, width=10_000)).rstrip("\n")


def _indent(width: int, text: str) -> str:
    pad = " " * int(width)
    return "\n".join(pad + line for line in str(text).split("\n"))


def _printf(pattern: str, *args: Any) -> str:
    converted = re.sub(r"%v", "%s", pattern)
    return converted % tuple(args)


def _default(fallback: Any, value: Any = None) -> Any:
    return value if _truthy(value) else fallback


def _required(message: str, value: Any) -> Any:
    if value is None or value == "":
        raise TemplateError(message)
    return value


class Renderer:
    """One chart, its values, and a release name and namespace."""

    def __init__(self, chart: Path, values: dict[str, Any], *, release: str, namespace: str) -> None:
        self.chart = chart
        meta = yaml.safe_load((chart / "Chart.yaml").read_text(encoding="utf-8"))
        self.root = {
            "Values": values,
            "Release": {"Name": release, "Namespace": namespace, "Service": "Helm"},
            "Chart": {"Name": meta["name"], "Version": str(meta["version"]), "AppVersion": str(meta.get("appVersion", ""))},
        }
        self.defines: dict[str, list[_Node]] = {}
        self.templates: dict[str, list[_Node]] = {}
        for path in sorted((chart / "templates").iterdir()):
            if path.suffix not in (".yaml", ".tpl"):
                continue
            nodes, defines = _parse(_tokens(path.read_text(encoding="utf-8")))
            self.defines.update(defines)
            if not path.name.startswith("_"):
                self.templates[path.name] = nodes
        self.functions: dict[str, Callable[..., Any]] = {
            "default": _default, "quote": lambda v: json.dumps("" if v is None else _display(v)),
            "squote": lambda v: "'" + ("" if v is None else str(v)) + "'",
            "toYaml": _to_yaml, "toJson": lambda v: json.dumps(v, separators=(",", ":")),
            "nindent": lambda n, text: "\n" + _indent(n, text), "indent": _indent,
            "include": self._include, "printf": _printf, "required": _required,
            "eq": lambda a, *bs: any(a == b for b in bs), "ne": lambda a, b: a != b,
            "lt": lambda a, b: a < b, "gt": lambda a, b: a > b, "le": lambda a, b: a <= b, "ge": lambda a, b: a >= b,
            "not": lambda v: not _truthy(v), "empty": lambda v: not _truthy(v),
            "and": lambda *vs: next((v for v in vs if not _truthy(v)), vs[-1]),
            "or": lambda *vs: next((v for v in vs if _truthy(v)), vs[-1]),
            "int": lambda v: int(v), "toString": lambda v: "" if v is None else str(v),
            "lower": lambda s: str(s).lower(), "upper": lambda s: str(s).upper(),
            "trunc": lambda n, s: str(s)[: int(n)], "trimSuffix": lambda x, s: str(s).removesuffix(x),
            "trimPrefix": lambda x, s: str(s).removeprefix(x), "replace": lambda a, b, s: str(s).replace(a, b),
            "hasKey": lambda d, k: k in (d or {}), "list": lambda *vs: list(vs),
            "append": lambda items, value: [*(items or []), value],
            "dict": lambda *kv: {kv[i]: kv[i + 1] for i in range(0, len(kv), 2)},
            "merge": lambda first, *rest: _merge_into(first, *rest), "ternary": lambda a, b, c: a if _truthy(c) else b,
            "join": lambda sep, items: sep.join(str(i) for i in items or []),
            "b64enc": lambda s: base64.b64encode(str(s).encode()).decode(),
        }

    # - rendering -

    def render(self) -> dict[str, str]:
        """Template file name → its text, as `helm template` writes each (empty ones left out)."""
        out: dict[str, str] = {}
        for name, nodes in self.templates.items():
            text = self._run(nodes, _Scope(self.root, {"$": self.root}))
            if text.strip():
                out[name] = text
        return out

    def resources(self) -> list[dict[str, Any]]:
        """Every Kubernetes resource the chart renders, in template order."""
        found: list[dict[str, Any]] = []
        for text in self.render().values():
            found += [doc for doc in yaml.safe_load_all(text) if doc]
        return found

    def _include(self, name: str, dot: Any) -> str:
        if name not in self.defines:
            raise TemplateError(f"no template {name!r} is defined")
        return self._run(self.defines[name], _Scope(dot, {"$": self.root}))

    def _run(self, nodes: list[_Node], scope: _Scope) -> str:
        parts: list[str] = []
        for node in nodes:
            if node.kind == "text":
                parts.append(node.value)
            elif node.kind == "output":
                value = self._pipeline(node.value, scope)
                parts.append("" if value is None else _display(value))
            elif node.kind == "assign":
                name, _, expression = node.value.partition("=")
                value = self._pipeline(expression, scope)
                if name.endswith(":"):
                    scope.variables[name.rstrip(":").strip()] = value
                else:
                    scope.assign(name.strip(), value)
            elif node.kind == "if":
                for condition, body in node.branches:
                    if condition is None or _truthy(self._pipeline(condition, scope)):
                        parts.append(self._run(body, scope.child(scope.dot)))
                        break
            elif node.kind == "with":
                value = self._pipeline(node.value, scope)
                if _truthy(value):
                    parts.append(self._run(node.body, scope.child(value)))
                elif node.branches:
                    parts.append(self._run(node.branches[0][1], scope.child(scope.dot)))
            elif node.kind == "range":
                parts.append(self._range(node, scope))
            elif node.kind == "template":
                words = _split_words(node.value)
                name = _string_literal(words[0])
                dot = self._pipeline(" ".join(words[1:]), scope) if len(words) > 1 else None
                parts.append(self._include(name, dot))
            else:
                raise TemplateError(f"unknown node {node.kind}")
        return "".join(parts)

    def _range(self, node: _Node, scope: _Scope) -> str:
        collection = self._pipeline(node.value, scope)
        items: list[tuple[Any, Any]]
        if isinstance(collection, dict):
            items = sorted(collection.items(), key=lambda kv: str(kv[0]))  # Go ranges over sorted keys
        elif isinstance(collection, (list, tuple)):
            items = list(enumerate(collection))
        elif isinstance(collection, int):
            items = list(enumerate(range(collection)))
        elif not _truthy(collection):
            items = []
        else:
            raise TemplateError(f"cannot range over {type(collection).__name__}")
        if not items and node.branches:
            return self._run(node.branches[0][1], scope.child(scope.dot))
        parts = []
        for key, value in items:
            inner = scope.child(value)
            if len(node.variables) == 2:
                inner.variables[node.variables[0]], inner.variables[node.variables[1]] = key, value
            elif len(node.variables) == 1:
                inner.variables[node.variables[0]] = value
            parts.append(self._run(node.body, inner))
        return "".join(parts)

    def _pipeline(self, text: str, scope: _Scope) -> Any:
        words = _split_words(text)
        return self._evaluate_pipeline(words, scope)

    def _evaluate_pipeline(self, words: list[str], scope: _Scope) -> Any:
        commands: list[list[str]] = [[]]
        depth = 0
        for word in words:
            if word == "(":
                depth += 1
            elif word == ")":
                depth -= 1
            if word == "|" and depth == 0:
                commands.append([])
            else:
                commands[-1].append(word)
        result: Any = _NOTHING
        for command in commands:
            result = self._command(command, scope, result)
        return None if result is _NOTHING else result

    def _command(self, words: list[str], scope: _Scope, piped: Any) -> Any:
        if not words:
            raise TemplateError("empty command")
        head = words[0]
        if head not in self.functions:  # a value, or a parenthesised pipeline, and nothing after it
            values = self._arguments(words, scope)
            if len(values) != 1 or piped is not _NOTHING:
                raise TemplateError(f"{head!r} is not a function this renderer knows")
            return values[0]
        arguments = self._arguments(words[1:], scope)
        if piped is not _NOTHING:
            arguments.append(piped)
        try:
            return self.functions[head](*arguments)
        except TemplateError:
            raise
        except Exception as exc:
            raise TemplateError(f"{head}: {exc}") from exc

    def _arguments(self, words: list[str], scope: _Scope) -> list[Any]:
        values: list[Any] = []
        index = 0
        while index < len(words):
            word = words[index]
            if word == "(":
                depth, end = 1, index + 1
                while depth:
                    depth += {"(": 1, ")": -1}.get(words[end], 0)
                    end += 1
                values.append(self._evaluate_pipeline(words[index + 1:end - 1], scope))
                index = end
                continue
            values.append(self._operand(word, scope))
            index += 1
        return values

    def _operand(self, word: str, scope: _Scope) -> Any:
        if word.startswith('"'):
            return json.loads(word)
        if word.startswith("`"):
            return word[1:-1]
        if word in ("true", "false"):
            return word == "true"
        if word == "nil":
            return None
        if re.fullmatch(r"-?\d+", word):
            return int(word)
        if re.fullmatch(r"-?\d+\.\d+", word):
            return float(word)
        if word == ".":
            return scope.dot
        if word.startswith("."):
            return _field(scope.dot, word[1:].split("."))
        if word.startswith("$"):
            name, _, path = word.partition(".")
            value = scope.lookup(name)
            return _field(value, path.split(".")) if path else value
        if word in self.functions:
            return self.functions[word]()
        raise TemplateError(f"{word!r} is not a function or value this renderer knows")


_NOTHING = object()


def _field(value: Any, names: list[str]) -> Any:
    for name in names:
        if value is None:
            return None
        if not isinstance(value, dict):
            raise TemplateError(f"cannot read field {name} of a {type(value).__name__}")
        value = value.get(name)
    return value


def _display(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dict, list)):
        return json.dumps(value)
    return str(value)


def _merge_into(first: dict[str, Any], *rest: dict[str, Any]) -> dict[str, Any]:
    for other in rest:
        for key, value in other.items():
            if key not in first:
                first[key] = value
    return first


def merged_values(chart: Path, *overlays: Path | dict[str, Any]) -> dict[str, Any]:
    """The chart's values.yaml with each overlay merged over it (maps deeply, anything else replaced), as `-f` does."""
    values: dict[str, Any] = yaml.safe_load((chart / "values.yaml").read_text(encoding="utf-8")) or {}
    for overlay in overlays:
        extra = overlay if isinstance(overlay, dict) else yaml.safe_load(Path(overlay).read_text(encoding="utf-8")) or {}
        values = _deep_merge(values, extra)
    return values


def _deep_merge(base: dict[str, Any], extra: dict[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in extra.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _deep_merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def render_chart(chart: Path, *overlays: Path | dict[str, Any], release: str = "wirestream") -> list[dict[str, Any]]:
    values = merged_values(chart, *overlays)
    namespace = str((values.get("namespace") or {}).get("name") or "default")
    return Renderer(chart, values, release=release, namespace=namespace).resources()
