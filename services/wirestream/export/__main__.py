"""`python -m wirestream.export [DIR]` (`make schemas`): write the published contract, the JSON
Schema of every message model and `asyncapi.yaml`, into DIR (default: the repository's schemas/).
`python -m wirestream.export kubernetes` (`make deploy`): write deploy/kubernetes/."""

from __future__ import annotations

import sys
from pathlib import Path

from wirestream.export.asyncapi import ASYNCAPI_FILE, render_asyncapi
from wirestream.export.json_schema import EXPORTED, SCHEMA_DIR, render

DEPLOY_DIR = SCHEMA_DIR.parent / "deploy" / "kubernetes"


def main(argv: list[str]) -> int:
    if argv[:1] == ["kubernetes"]:
        from wirestream.export.kubernetes import rendered_files

        for name, text in rendered_files().items():
            path = DEPLOY_DIR / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            print(f"wrote {path}")
        return 0
    folder = Path(argv[0]) if argv else SCHEMA_DIR
    folder.mkdir(parents=True, exist_ok=True)
    for file_name, model in EXPORTED.items():
        (folder / file_name).write_text(render(model), encoding="utf-8")
        print(f"wrote {folder / file_name}")
    (folder / ASYNCAPI_FILE).write_text(render_asyncapi(), encoding="utf-8")
    print(f"wrote {folder / ASYNCAPI_FILE}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
