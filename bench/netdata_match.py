"""Benchmark: matching a feed against registered networks, end to end.

Generates (fixed seed, in a temporary directory) a Shadowserver-style CSV of feed rows, mixed
IPv4 and IPv6, and a register of prefixes; then measures, in the same run,
- end to end: read the CSV, match every row, group into findings (``match_feed``);
- the bare loop: ``pytricia.get`` over the same addresses, already in memory;
and prints rows per second of both, their ratio, and the peak resident memory.

Run:  .venv/bin/python bench/netdata_match.py [--rows N] [--prefixes M] [--repeat R]
"""

from __future__ import annotations

import argparse
import gc
import ipaddress
import pathlib
import random
import resource
import statistics
import sys
import tempfile
import time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1] / "services" / "incidents" / "src"))

import pytricia  # noqa: E402

from incidents.domain.netdata import FeedReader, Register, match_feed  # noqa: E402

HEADER = '"timestamp","ip","port","protocol","asn","geo","hostname","tag"\n'


def generate(directory: pathlib.Path, rows: int, prefixes: int, rows_per_address: float, seed: int):
    rnd = random.Random(seed)
    registrations = []
    networks = []
    for i in range(prefixes):
        if i % 2 == 0:
            length = rnd.randint(16, 28)
            net = ipaddress.IPv4Network((rnd.getrandbits(32) >> (32 - length) << (32 - length), length))
        else:
            length = rnd.randint(32, 64)
            net = ipaddress.IPv6Network(((0x2000 << 112 | rnd.getrandbits(112)) >> (128 - length) << (128 - length), length))
        networks.append(net)
        registrations.append((f"org-{i % (prefixes // 3 + 1)}", "network", str(net)))
    distinct = max(1, int(rows / rows_per_address))
    addresses = []
    for i in range(distinct):
        if rnd.random() < 0.9:  # most rows hit a registered network
            net = networks[rnd.randrange(len(networks))]
            addr = net.network_address + rnd.randrange(min(net.num_addresses, 1 << 32))
        elif i % 2:
            addr = ipaddress.IPv4Address(rnd.getrandbits(32))
        else:
            addr = ipaddress.IPv6Address(0x2000 << 112 | rnd.getrandbits(112))
        addresses.append(str(addr))
    feed_addresses = [addresses[rnd.randrange(distinct)] if i >= distinct else addresses[i] for i in range(rows)]
    rnd.shuffle(feed_addresses)
    path = directory / "feed.csv"
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write(HEADER)
        for i, addr in enumerate(feed_addresses):
            out.write(f'"2024-05-{1 + i % 28:02d} {i % 24:02d}:{i % 60:02d}:00","{addr}",'
                      f'{rnd.choice((22, 23, 80, 443, 8080))},"tcp",{rnd.randrange(1, 400000)},"NL",'
                      f'"host{i}.example.net","vulnerable-service"\n')
    return path, registrations, feed_addresses


def bare_loop(trie, addresses) -> float:
    get = trie.get
    started = time.perf_counter()
    for address in addresses:
        get(address)
    return time.perf_counter() - started


def end_to_end(path: pathlib.Path, register: Register):
    started = time.perf_counter()
    with path.open(encoding="utf-8", newline="") as feed:
        result = match_feed(FeedReader(feed), register)
    return time.perf_counter() - started, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--prefixes", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--rows-per-address", type=float, default=2.0,
                        help="feed rows per distinct address (a scan sees a host on several ports)")
    parser.add_argument("--seed", type=int, default=20240501)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        path, registrations, addresses = generate(pathlib.Path(tmp), args.rows, args.prefixes,
                                                  args.rows_per_address, args.seed)
        print(f"generated {args.rows:,} rows ({len(set(addresses)):,} distinct addresses), "
              f"{args.prefixes:,} prefixes, {path.stat().st_size / 1e6:.0f} MB CSV "
              f"in {time.perf_counter() - started:.1f} s")

        started = time.perf_counter()
        register = Register(registrations)
        print(f"register built in {time.perf_counter() - started:.2f} s")
        trie = pytricia.PyTricia(128)
        for _, _, prefix in registrations:
            trie[prefix] = prefix

        bare, e2e = [], []
        for _ in range(args.repeat):
            gc.collect()
            bare.append(bare_loop(trie, addresses))
            gc.collect()
            seconds, result = end_to_end(path, register)
            e2e.append(seconds)
            del result
        seconds, result = end_to_end(path, register)
        findings = sum(len(f) for f in result.findings.values())
        print(f"matched {result.rows_matched:,} rows, unmatched {result.rows_unmatched:,}, "
              f"review {len(result.review):,}; {findings:,} findings for {len(result.findings):,} organisations")

    bare_rate = args.rows / statistics.median(bare)
    e2e_rate = args.rows / statistics.median(e2e)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"bare pytricia loop: {bare_rate:>12,.0f} rows/s (median of {args.repeat})")
    print(f"end to end:         {e2e_rate:>12,.0f} rows/s (median of {args.repeat}; parse CSV, match, group)")
    print(f"ratio end to end / bare: {e2e_rate / bare_rate:.2f} (aim: >= 0.50)")
    print(f"peak resident memory (whole process, incl. generated data): {peak_mb:,.0f} MB (aim: < 1024)")


if __name__ == "__main__":
    main()
