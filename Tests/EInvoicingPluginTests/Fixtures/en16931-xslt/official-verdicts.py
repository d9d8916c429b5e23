#!/usr/bin/env python3
"""The official CEN/TC 434 EN 16931 validation artefacts' verdicts on many documents, as JSON.

usage: official-verdicts.py ubl|cii FILE...

Compiles EN16931-UBL-validation.xslt or EN16931-CII-validation.xslt (beside this script) once with
saxonche (Saxon-HE), runs it on every FILE and prints one JSON object: FILE to either
{"failed": [{"id": "BR-CO-15", "flag": "fatal"}, ...]} (every svrl:failed-assert, in report order)
or {"error": "..."} when the artefact cannot judge the document (Saxon stops with a dynamic error,
e.g. a ChargeIndicator that is no boolean). OfficialArtefactDifferentialTests runs it with the
repository's .venv Python, where scripts/test installs the pinned saxonche.
"""
import json
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

from saxonche import PySaxonProcessor

SVRL = "{http://purl.oclc.org/dsdl/svrl}"


def main():
    if len(sys.argv) < 2 or sys.argv[1] not in ("ubl", "cii"):
        raise SystemExit(__doc__)
    syntax, files = sys.argv[1], sys.argv[2:]
    stylesheet = Path(__file__).resolve().parent / f"EN16931-{syntax.upper()}-validation.xslt"
    verdicts = {}
    with PySaxonProcessor(license=False) as processor:
        executable = processor.new_xslt30_processor().compile_stylesheet(stylesheet_file=str(stylesheet))
        for file in files:
            try:
                report = executable.transform_to_string(source_file=file)
            except Exception as error:  # saxonche raises PySaxonApiError, the message says why
                verdicts[file] = {"error": str(error).strip()}
                continue
            failed = [{"id": element.get("id"), "flag": element.get("flag")}
                      for element in ET.fromstring(report).iter(SVRL + "failed-assert")]
            verdicts[file] = {"failed": failed}
    json.dump(verdicts, sys.stdout)


if __name__ == "__main__":
    main()
