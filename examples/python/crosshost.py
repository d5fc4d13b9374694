"""Cross-host check: process each case of a JSON file with the Python host and write the result.

    python crosshost.py cases.json OUTDIR

Each case is {"name", "input", "format", "options": {python keyword: value}}. A result goes to
OUTDIR/<name>.out (the image) and OUTDIR/<name>.json (its size, format and media type, and what
`inspect` says of the input); an error to OUTDIR/<name>.error (the WIT case) and
OUTDIR/<name>.message. Last, the instance's `stats` go to OUTDIR/stats.json. Record fields are
written in snake_case. One instance serves all.
"""

import json
import sys
from pathlib import Path

import imgpipe


def snake(record: dict) -> dict:
    return {key.replace("-", "_"): value for key, value in record.items()}


def main(cases_path: str, out_dir: str) -> None:
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    processor = imgpipe.Processor()
    for case in json.loads(Path(cases_path).read_text()):
        data = Path(case["input"]).read_bytes()
        try:
            result = processor.process(data, case["format"], **case["options"])
            (out / f"{case['name']}.out").write_bytes(result.image)
            about = {
                "width": result.width,
                "height": result.height,
                "format": result.format,
                "mime_type": result.mime_type,
                "input": snake(processor.inspect(data)),
            }
            (out / f"{case['name']}.json").write_text(json.dumps(about))
        except imgpipe.ImgpipeError as e:
            (out / f"{case['name']}.error").write_text(e.case)
            (out / f"{case['name']}.message").write_text(e.message)
    stats = snake(processor.stats())
    stats["errors"] = snake(stats["errors"])
    stats["recent_errors"] = [snake(record) for record in stats["recent_errors"]]
    keep = ("calls", "successes", "errors", "bytes_in", "bytes_out", "recent_errors")
    (out / "stats.json").write_text(json.dumps({key: stats[key] for key in keep}))


if __name__ == "__main__":
    main(*sys.argv[1:3])
