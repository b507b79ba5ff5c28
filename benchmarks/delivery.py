"""Delivery benchmarks: plugin fan-out and outbox drain throughput.

    python benchmarks/delivery.py [--runs 7] [--drain 2000]

Fan-out: ``imf declare`` with four plugins, each behind its own loopback server that answers
after 200 ms, against one such plugin alone (target ≤ 1.3×), side by side with the four called
one after another (``[imf.delivery] max_parallel = 1``).

Drain: ``imf deliver`` sending 2,000 pending deliveries to one loopback server with keep-alive
(target ≥ 500 deliveries/s), against a plain loop of ``http.client`` POSTs in the same run.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from _timing import imf_command, interleaved_medians, isolated_env, table  # noqa: E402

from imf.testing.fakes.base import FakeServer, Recorded, Response  # noqa: E402


class Receiver(FakeServer):
    """Accepts every POST."""

    def __init__(self) -> None:
        super().__init__(validate=False)
        self.route("POST", "/events", self._accept)

    def _accept(self, request: Recorded, params: dict[str, str]) -> Response:
        return Response.json(202, {"status": "accepted"})


def install_plugins(site: Path) -> dict[str, str]:
    """Make the benchmark plugins discoverable through entry points."""
    dist = site / "imf_bench-1.0.dist-info"
    dist.mkdir(parents=True, exist_ok=True)
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: imf-bench\nVersion: 1.0\n")
    (dist / "entry_points.txt").write_text(
        "[imf]\n" + "".join(f"bench{n} = _plugin:bench{n}\n" for n in range(1, 5))
    )
    return {"PYTHONPATH": os.pathsep.join([str(site), str(HERE)])}


def write_config(path: Path, urls: list[str], **delivery: object) -> None:
    import tomli_w

    plugins = {f"bench{n}": {"url": url} for n, url in enumerate(urls, start=1)}
    path.write_text(
        tomli_w.dumps({"imf": {"delivery": {"timeout": 5.0, **delivery}}, "plugins": plugins})
    )


def fan_out(imf: list[str], env: dict[str, str], tmp: Path, runs: int) -> list[list[str]]:
    servers = [Receiver().start() for _ in range(4)]
    try:
        for server in servers:
            server.delay(0.2)
        urls = [f"{s.url}/events" for s in servers]
        configs = {
            "one plugin": (urls[:1], {}),
            "four plugins, in parallel": (urls, {}),
            "four plugins, one after another": (urls, {"max_parallel": 1}),
        }
        commands = {}
        for name, (chosen, delivery) in configs.items():
            path = tmp / f"{name.split(',')[0].replace(' ', '-')}-{len(delivery)}.toml"
            write_config(path, chosen, **delivery)
            store = f"sqlite:///{tmp}/{path.stem}.db"
            commands[name] = [
                *imf,
                "--config",
                str(path),
                "--store",
                store,
                "declare",
                "Fan-out benchmark",
                "-s",
                "P3",
                "--strict",
            ]
        medians = interleaved_medians(commands, runs=runs, env=env, cwd=tmp)
    finally:
        for server in servers:
            server.stop()
    base = medians["one plugin"]
    rows = [["imf declare", "median ms", "ratio to one plugin", "target"]]
    targets = {"four plugins, in parallel": "≤ 1.3x"}
    for name, value in medians.items():
        rows.append([name, f"{value * 1000:.0f}", f"{value / base:.2f}x", targets.get(name, "")])
    return rows


def drain(imf: list[str], env: dict[str, str], tmp: Path, count: int) -> list[list[str]]:
    config = tmp / "drain.toml"
    store = f"sqlite:///{tmp}/drain.db"
    # Record `count` deliveries that fail at once (nothing listens on the port) and go dead
    # after one attempt, then requeue them all: `count` pending deliveries, due now.
    write_config(config, ["http://127.0.0.1:9/events"], max_attempts=1)
    script = (
        "import sys\nfrom imf.app import App\n"
        "app = App.create(config_path=sys.argv[1], store=sys.argv[2])\n"
        "for i in range(int(sys.argv[3])):\n"
        "    app.service.declare(f'drain {i}', severity='P4')\n"
    )
    subprocess.run(
        [sys.executable, "-c", script, str(config), store, str(count)], env=env, cwd=tmp, check=True
    )
    with Receiver() as server:
        write_config(config, [f"{server.url}/events"])
        base = [*imf, "--config", str(config), "--store", store]
        subprocess.run(
            [*base, "outbox", "retry", "--all-dead"],
            env=env,
            cwd=tmp,
            check=True,
            stdout=subprocess.DEVNULL,
        )
        start = time.perf_counter()
        done = subprocess.run(
            [*base, "deliver", "--json"],
            env=env,
            cwd=tmp,
            check=True,
            capture_output=True,
            text=True,
        )
        imf_seconds = time.perf_counter() - start
        delivered = json.loads(done.stdout)["delivered"]
        host, port = server.url.removeprefix("http://").split(":")
        start = time.perf_counter()
        conn = http.client.HTTPConnection(host, int(port))
        for i in range(count):
            body = json.dumps({"incident": f"INC-{i}", "kind": "declared", "seq": 1})
            conn.request("POST", "/events", body, {"Content-Type": "application/json"})
            conn.getresponse().read()
        conn.close()
        plain_seconds = time.perf_counter() - start
    return [
        ["drain", "deliveries", "seconds", "per second", "target"],
        [
            "imf deliver (one process)",
            str(delivered),
            f"{imf_seconds:.2f}",
            f"{delivered / imf_seconds:.0f}",
            "≥ 500/s",
        ],
        [
            "plain http.client loop",
            str(count),
            f"{plain_seconds:.2f}",
            f"{count / plain_seconds:.0f}",
            "",
        ],
        [
            "ratio (imf / plain)",
            "",
            "",
            f"{(delivered / imf_seconds) / (count / plain_seconds):.2f}",
            "",
        ],
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--drain", type=int, default=2000)
    args = parser.parse_args()
    imf = imf_command()
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        env = isolated_env(name)
        env.update(install_plugins(tmp / "site"))
        print(table(fan_out(imf, env, tmp, args.runs)))
        print()
        print(table(drain(imf, env, tmp, args.drain)))


if __name__ == "__main__":
    main()
