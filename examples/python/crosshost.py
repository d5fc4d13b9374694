"""Cross-host check: process each case of a JSON file with the Python host and write the result.

    python crosshost.py cases.json OUTDIR

Each case is {"name", "input", "format", "options": {python keyword: value}}; the result goes
to OUTDIR/<name>.out, or the WIT error case to OUTDIR/<name>.error. One instance serves all.
"""

import json
import sys
from pathlib import Path

import imgpipe


def main(cases_path: str, out_dir: str) -> None:
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    processor = imgpipe.Processor()
    for case in json.loads(Path(cases_path).read_text()):
        data = Path(case["input"]).read_bytes()
        try:
            result = processor.process(data, case["format"], **case["options"])
            (out / f"{case['name']}.out").write_bytes(result.image)
        except imgpipe.ImgpipeError as e:
            (out / f"{case['name']}.error").write_text(e.case)


if __name__ == "__main__":
    main(*sys.argv[1:3])
