"""A scripted $EDITOR for the tests: ``python editor.py PLAN FILE``.

``PLAN`` is a JSON file ``{"steps": [...], "done": 0, "seen": []}``. Each run takes the next
step, records the text it was given in ``seen``, applies ``replace`` pairs (each ``old`` must
be present) and ``append``, and saves the file unless the step says ``"save": false``.
"""

import json
import sys
from pathlib import Path

plan_path, target = Path(sys.argv[1]), Path(sys.argv[2])
plan = json.loads(plan_path.read_text(encoding="utf-8"))
step = plan["steps"][plan["done"]]
text = target.read_text(encoding="utf-8")
plan["seen"].append(text)
plan["done"] += 1
plan_path.write_text(json.dumps(plan, ensure_ascii=False), encoding="utf-8")
for old, new in step.get("replace", []):
    if old not in text:
        sys.exit(f"editor.py: {old!r} is not in the document")
    text = text.replace(old, new, 1)
text += step.get("append", "")
if step.get("save", True):
    target.write_text(text, encoding="utf-8")
