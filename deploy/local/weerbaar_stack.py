"""The local stack without Docker: PostgreSQL, Apache Kafka (KRaft), a mail catcher,
the stand-in IdP and every service, as plain processes under `.state/`.

    python deploy/local/weerbaar_stack.py up [--infra]   # start (idempotent), print progress
    python deploy/local/weerbaar_stack.py down           # stop everything
    python deploy/local/weerbaar_stack.py status         # one line per part

Everything this writes lives in `.state/` (ignored by git); the Kafka jars live in
`.cache/kafka/` (fetched by deploy/local/setup.sh). Ports start at 28000: clear of the usual ones, and below Linux's ephemeral range (32768-60999),
where a client retrying a stopped broker can connect to itself and hold the broker's port. Override
any of them with the WEERBAAR_*_PORT variables below.
"""
from __future__ import annotations

import argparse
import base64
import glob
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
STATE = Path(os.environ.get("WEERBAAR_STATE_DIR", ROOT / ".state"))
CACHE = Path(os.environ.get("WEERBAAR_CACHE_DIR", ROOT / ".cache"))
VENV_PYTHON = ROOT / ".venv" / "bin" / "python"


def _saved_ports() -> dict[str, str]:
    """Ports chosen at the first `up` of this checkout, so later commands find the same parts
    without the variables being exported again."""
    saved = STATE / "ports.env"
    if not saved.exists():
        return {}
    return dict(line.split("=", 1) for line in saved.read_text().split() if "=" in line)


_SAVED = _saved_ports()
_CHOSEN: dict[str, int] = {}


def _port(name: str, default: int) -> int:
    _CHOSEN[name] = int(os.environ.get(name) or _SAVED.get(name) or default)
    return _CHOSEN[name]


PG_PORT = _port("WEERBAAR_PG_PORT", 28432)
KAFKA_PORT = _port("WEERBAAR_KAFKA_PORT", 28092)
KAFKA_CONTROLLER_PORT = _port("WEERBAAR_KAFKA_CONTROLLER_PORT", 28093)
SMTP_PORT = _port("WEERBAAR_SMTP_PORT", 28025)
MAILBOX_HTTP_PORT = _port("WEERBAAR_MAILBOX_PORT", 28026)
IDP_PORT = _port("WEERBAAR_IDP_PORT", 28090)
SERVICE_PORTS = {
    "gateway": _port("WEERBAAR_GATEWAY_PORT", 28080),
    "identity": _port("WEERBAAR_IDENTITY_PORT", 28081),
    "registry": _port("WEERBAAR_REGISTRY_PORT", 28082),
    "incidents": _port("WEERBAAR_INCIDENTS_PORT", 28083),
    "content": _port("WEERBAAR_CONTENT_PORT", 28084),
    "notify": _port("WEERBAAR_NOTIFY_PORT", 28085),
}
PG_USER = "weerbaar"
DATABASES = ["identity", "registry", "incidents", "content", "notify", "gateway"]

DATABASE_ADMIN_URL = f"postgresql://{PG_USER}@127.0.0.1:{PG_PORT}/postgres"
KAFKA_BOOTSTRAP = f"127.0.0.1:{KAFKA_PORT}"


def database_url(name: str) -> str:
    return f"postgresql://{PG_USER}@127.0.0.1:{PG_PORT}/weerbaar_{name}"


def say(msg: str) -> None:
    print(f"[stack {time.strftime('%H:%M:%S')}] {msg}", flush=True)


def port_open(port: int, host: str = "127.0.0.1") -> bool:
    with socket.socket() as s:
        s.settimeout(0.3)
        return s.connect_ex((host, port)) == 0


def wait_until(check, what: str, timeout: float, log: Path | None = None,
               process: str | None = None) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        if process and running_pid(process) is None:
            break  # it died: say so now, not after the timeout
        time.sleep(0.2)
    tail = ""
    if log and log.exists():
        tail = "\n".join(log.read_text(errors="replace").splitlines()[-30:])
    raise SystemExit(f"{what} did not become ready within {timeout:.0f}s (log: {log}).\n{tail}")


# --------------------------------------------------------------------------- processes


def _pidfile(name: str) -> Path:
    return STATE / "pids" / f"{name}.pid"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def running_pid(name: str) -> int | None:
    pf = _pidfile(name)
    if not pf.exists():
        return None
    try:
        pid = int(pf.read_text().strip())
    except ValueError:
        return None
    return pid if _alive(pid) else None


def spawn(name: str, argv: list[str], env: dict[str, str] | None = None, cwd: Path = ROOT) -> int:
    (STATE / "logs").mkdir(parents=True, exist_ok=True)
    (STATE / "pids").mkdir(parents=True, exist_ok=True)
    log = open(STATE / "logs" / f"{name}.log", "ab")
    proc = subprocess.Popen(
        argv, cwd=cwd, env={**os.environ, **(env or {})}, stdout=log, stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL, start_new_session=True,
    )
    _pidfile(name).write_text(str(proc.pid))
    return proc.pid


def stop(name: str, timeout: float = 15) -> None:
    pid = running_pid(name)
    if pid is None:
        _pidfile(name).unlink(missing_ok=True)
        return
    try:
        os.killpg(pid, signal.SIGTERM)
    except ProcessLookupError:
        pass
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and _alive(pid):
        time.sleep(0.1)
    if _alive(pid):
        os.killpg(pid, signal.SIGKILL)
    _pidfile(name).unlink(missing_ok=True)


# --------------------------------------------------------------------------- PostgreSQL


def _pg_bin(tool: str) -> str:
    found = shutil.which(tool)
    if found:
        return found
    candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{tool}"))
    if not candidates:
        raise SystemExit(f"PostgreSQL's {tool} was not found: run deploy/local/setup.sh first.")
    return candidates[-1]


def _as_pg_owner(argv: list[str]) -> list[str]:
    # PostgreSQL refuses to run as root; CI and this machine run as root.
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *argv]
    return argv


@dataclass
class Postgres:
    data: Path = field(default_factory=lambda: STATE / "pg")

    def running(self) -> bool:
        return port_open(PG_PORT)

    def ours(self) -> bool:
        pidfile = self.data / "postmaster.pid"
        if not pidfile.exists():
            return False
        lines = pidfile.read_text().splitlines()
        return len(lines) > 3 and lines[3].strip() == str(PG_PORT) and _alive(int(lines[0]))

    def start(self) -> None:
        if self.running():
            if not self.ours():
                raise SystemExit(f"Port {PG_PORT} answers, but not with this checkout's PostgreSQL "
                                 f"({self.data}). Another copy? Choose another port: WEERBAAR_PG_PORT=...")
            say(f"PostgreSQL already runs on {PG_PORT}")
            return
        self.data.parent.mkdir(parents=True, exist_ok=True)
        (STATE / "logs").mkdir(parents=True, exist_ok=True)
        log = STATE / "logs" / "postgres.log"
        if os.geteuid() == 0:
            for p in (STATE, STATE / "logs"):
                os.chmod(p, 0o755)
            log.touch()
            shutil.chown(log, "postgres")
        if not (self.data / "PG_VERSION").exists():
            say("PostgreSQL: initdb (first start)")
            self.data.mkdir(exist_ok=True)
            if os.geteuid() == 0:
                shutil.chown(self.data, "postgres")
            subprocess.run(
                _as_pg_owner([_pg_bin("initdb"), "-D", str(self.data), "-U", PG_USER,
                              "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8"]),
                check=True, stdout=subprocess.DEVNULL,
            )
        say(f"PostgreSQL: starting on 127.0.0.1:{PG_PORT}")
        opts = (f"-c listen_addresses=127.0.0.1 -c port={PG_PORT} -c unix_socket_directories='' "
                "-c max_connections=300 -c shared_buffers=128MB")
        subprocess.run(
            _as_pg_owner([_pg_bin("pg_ctl"), "-D", str(self.data), "-l", str(log), "-o", opts,
                          "-w", "-t", "60", "start"]),
            check=True, stdout=subprocess.DEVNULL,
        )
        wait_until(self.running, "PostgreSQL", 60, log)

    def stop(self) -> None:
        if not (self.data / "postmaster.pid").exists():
            return
        say("PostgreSQL: stopping")
        subprocess.run(_as_pg_owner([_pg_bin("pg_ctl"), "-D", str(self.data), "-m", "fast",
                                     "-w", "stop"]), check=False, stdout=subprocess.DEVNULL)

    def create_databases(self) -> None:
        import asyncio

        import asyncpg

        async def run() -> None:
            conn = await asyncpg.connect(DATABASE_ADMIN_URL)
            try:
                have = {r["datname"] for r in await conn.fetch("SELECT datname FROM pg_database")}
                for name in DATABASES:
                    if f"weerbaar_{name}" not in have:
                        await conn.execute(f'CREATE DATABASE "weerbaar_{name}"')
            finally:
                await conn.close()

        asyncio.run(run())


# --------------------------------------------------------------------------- Kafka


@dataclass
class Kafka:
    home: Path = field(default_factory=lambda: STATE / "kafka")

    @property
    def classpath(self) -> str:
        libs = CACHE / "kafka" / "libs"
        if not any(libs.glob("kafka_2.13-*.jar")):
            raise SystemExit("Kafka jars are missing: run deploy/local/setup.sh first.")
        return f"{libs}/*"

    def running(self) -> bool:
        return port_open(KAFKA_PORT)

    def _write_config(self) -> Path:
        self.home.mkdir(parents=True, exist_ok=True)
        props = self.home / "server.properties"
        props.write_text("\n".join([
            "process.roles=broker,controller",
            "node.id=1",
            f"controller.quorum.bootstrap.servers=127.0.0.1:{KAFKA_CONTROLLER_PORT}",
            f"listeners=PLAINTEXT://127.0.0.1:{KAFKA_PORT},CONTROLLER://127.0.0.1:{KAFKA_CONTROLLER_PORT}",
            f"advertised.listeners=PLAINTEXT://127.0.0.1:{KAFKA_PORT}",
            "controller.listener.names=CONTROLLER",
            "inter.broker.listener.name=PLAINTEXT",
            "listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT",
            f"log.dirs={self.home / 'data'}",
            "num.partitions=3",
            "auto.create.topics.enable=true",
            "offsets.topic.replication.factor=1",
            "transaction.state.log.replication.factor=1",
            "transaction.state.log.min.isr=1",
            "share.coordinator.state.topic.replication.factor=1",
            "share.coordinator.state.topic.min.isr=1",
            "group.initial.rebalance.delay.ms=0",
            "offsets.topic.num.partitions=5",
            "log.retention.hours=168",
            "",
        ]))
        return props

    def start(self) -> None:
        if self.running():
            if not running_pid("kafka"):
                raise SystemExit(f"Port {KAFKA_PORT} answers, but not with this checkout's Kafka. "
                                 "Another copy? Choose another port: WEERBAAR_KAFKA_PORT=...")
            say(f"Kafka already runs on {KAFKA_PORT}")
            return
        props = self._write_config()
        java = ["java", "-Xms256m", "-Xmx768m", "-XX:+UseG1GC", "-Djava.awt.headless=true",
                f"-Dlog4j2.configurationFile={ROOT / 'deploy/local/kafka/log4j2.properties'}",
                f"-Dkafka.logs.dir={STATE / 'logs'}", "-cp", self.classpath]
        if not (self.home / "data" / "meta.properties").exists():
            cluster_id = base64.urlsafe_b64encode(uuid.uuid4().bytes).decode().rstrip("=")
            say("Kafka: formatting storage (first start, KRaft standalone)")
            subprocess.run([*java, "kafka.tools.StorageTool", "format", "--standalone",
                            "-t", cluster_id, "-c", str(props)], check=True,
                           stdout=subprocess.DEVNULL)
        say(f"Kafka: starting broker+controller on 127.0.0.1:{KAFKA_PORT}")
        spawn("kafka", [*java, "kafka.Kafka", str(props)])
        wait_until(self.running, "Kafka", 90, STATE / "logs" / "kafka.log")
        wait_until(_kafka_answers, "Kafka metadata", 60, STATE / "logs" / "kafka.log")

    def stop(self) -> None:
        if running_pid("kafka"):
            say("Kafka: stopping")
        stop("kafka", timeout=30)


def _kafka_answers() -> bool:
    import asyncio

    from aiokafka.admin import AIOKafkaAdminClient

    async def probe() -> bool:
        admin = AIOKafkaAdminClient(bootstrap_servers=KAFKA_BOOTSTRAP, request_timeout_ms=3000)
        try:
            await admin.start()
            await admin.describe_cluster()
            return True
        except Exception:
            return False
        finally:
            await admin.close()

    return asyncio.run(probe())


# --------------------------------------------------------------------------- Python parts


def python_parts() -> dict[str, tuple[list[str], dict[str, str], int]]:
    """name -> (argv, extra env, port that answers when it is up)."""
    py = str(VENV_PYTHON)
    parts: dict[str, tuple[list[str], dict[str, str], int]] = {
        "mailbox": ([py, "-m", "weerbaar_devstack.mailbox", "--smtp-port", str(SMTP_PORT),
                     "--http-port", str(MAILBOX_HTTP_PORT), "--data-dir", str(STATE / "mail")],
                    {}, MAILBOX_HTTP_PORT),
        "idp": ([py, "-m", "weerbaar_devstack.idp", "--port", str(IDP_PORT),
                 "--issuer-base", f"http://127.0.0.1:{IDP_PORT}"], idp_env(), IDP_PORT),
    }
    for name, port in SERVICE_PORTS.items():
        parts[name] = ([py, "-m", name], service_env(name), port)
    return parts


IDP_CLIENT_ID = "weerbaar-identity"
IDP_CLIENT_SECRET = "local-development-only-not-a-secret"
GATEWAY_CLIENT_SECRET = "local-development-only-gateway-secret"


def idp_env() -> dict[str, str]:
    identity = f"http://127.0.0.1:{SERVICE_PORTS['identity']}"
    clients = [{"client_id": IDP_CLIENT_ID, "client_secret": IDP_CLIENT_SECRET,
                "redirect_uris": [f"{identity}/login/ssonrijk/callback",
                                  f"{identity}/login/eherkenning/callback"]}]
    return {"WEERBAAR_IDP_CLIENTS": json.dumps(clients),
            "WEERBAAR_IDP_KEYS_FILE": str(STATE / "idp" / "keys.json"),
            "WEERBAAR_IDP_ALLOW_TAMPERING": "true"}


def service_env(name: str) -> dict[str, str]:
    """The environment a service gets in the local stack: development defaults only."""
    prefix = f"WEERBAAR_{name.upper()}_"
    env = {
        f"{prefix}ENVIRONMENT": "development",
        f"{prefix}DATABASE_URL": database_url(name),
        f"{prefix}KAFKA_BOOTSTRAP": KAFKA_BOOTSTRAP,
        f"{prefix}HTTP_PORT": str(SERVICE_PORTS[name]),
        f"{prefix}SMTP_PORT": str(SMTP_PORT),
        f"{prefix}IDP_BASE": f"http://127.0.0.1:{IDP_PORT}",
        f"{prefix}TOKEN_JWKS_URL": f"http://127.0.0.1:{SERVICE_PORTS['identity']}/.well-known/jwks.json",
    }
    for other, port in SERVICE_PORTS.items():
        env[f"{prefix}{other.upper()}_URL"] = f"http://127.0.0.1:{port}"
    env[f"{prefix}PUBLIC_URL"] = f"http://127.0.0.1:{SERVICE_PORTS[name]}"
    gateway = f"http://127.0.0.1:{SERVICE_PORTS['gateway']}"
    if name == "identity":  # the gateway is identity's client; its callback must match exactly
        env[f"{prefix}CLIENTS"] = json.dumps([{"client_id": "gateway", "client_secret": GATEWAY_CLIENT_SECRET,
                                               "redirect_uris": [f"{gateway}/login/callback"]}])
        env[f"{prefix}IDP_CLIENT_SECRET"] = IDP_CLIENT_SECRET
        # Granted roles become usable after a delay (one hour in production). Locally five
        # seconds, so `make demo` and the end-to-end test can show a role being given and used.
        env[f"{prefix}ROLE_ACTIVATION_DELAY_SECONDS"] = os.environ.get(
            "WEERBAAR_IDENTITY_ROLE_ACTIVATION_DELAY_SECONDS", "5")
        env[f"{prefix}ROLE_ACTIVATION_POLL_SECONDS"] = "1"
    if name == "gateway":
        env[f"{prefix}IDENTITY_CLIENT_SECRET"] = GATEWAY_CLIENT_SECRET
    if name == "incidents":  # the public report form comes through the gateway, which names the sender
        env[f"{prefix}TRUSTED_PROXIES"] = json.dumps(["127.0.0.1"])
    if name == "notify":
        env[f"{prefix}PORTAL_BASE_URL"] = gateway
    return env


def service_available(name: str) -> bool:
    return (ROOT / "services" / name / "src" / name / "__main__.py").exists()


def devstack_available(name: str) -> bool:
    return (ROOT / "libs" / "devstack" / "src" / "weerbaar_devstack" / name / "__main__.py").exists()


_CODE_SUFFIXES = {".py", ".html", ".j2", ".json", ".toml", ".sql", ".mako", ".css"}


def code_fingerprint() -> str:
    """What the Python parts run: every source file's name, size and time under libs/ and
    services/. A part started from other code is restarted, so nobody tests yesterday's code."""
    import hashlib

    digest = hashlib.sha256()
    for top in ("libs", "services"):
        for path in sorted((ROOT / top).rglob("*")):
            if path.suffix in _CODE_SUFFIXES and "node_modules" not in path.parts and path.is_file():
                info = path.stat()
                digest.update(f"{path.relative_to(ROOT)}:{info.st_size}:{info.st_mtime_ns}\n".encode())
    return digest.hexdigest()[:16]


def _codefile(name: str) -> Path:
    return STATE / "pids" / f"{name}.code"


def start_python_part(name: str, fingerprint: str | None = None) -> None:
    argv, env, port = python_parts()[name]
    fingerprint = fingerprint or code_fingerprint()
    if running_pid(name):
        started_from = _codefile(name).read_text() if _codefile(name).exists() else None
        if started_from == fingerprint:
            say(f"{name}: already running on {port}")
            return
        say(f"{name}: the code changed since it started; restarting")
        stop(name)
        deadline = time.monotonic() + 15
        while port_open(port) and time.monotonic() < deadline:
            time.sleep(0.1)
    if port_open(port):
        raise SystemExit(f"{name}: port {port} is taken by another process. Choose another port "
                         f"(see the WEERBAAR_*_PORT variables in deploy/local/weerbaar_stack.py).")
    say(f"{name}: starting on 127.0.0.1:{port}")
    spawn(name, argv, env)
    _codefile(name).write_text(fingerprint)


def http_ok(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=1) as r:
            return r.status == 200
    except Exception:
        return False


# --------------------------------------------------------------------------- commands


def up(infra_only: bool, bare: bool = False) -> None:
    t0 = time.monotonic()
    STATE.mkdir(parents=True, exist_ok=True)
    (STATE / "ports.env").write_text("".join(f"{k}={v}\n" for k, v in sorted(_CHOSEN.items())))
    pg, kafka = Postgres(), Kafka()
    pg.start()
    pg.create_databases()
    kafka.start()
    extras = [] if bare else [n for n in ("mailbox", "idp") if devstack_available(n)]
    services = [] if infra_only or bare else [s for s in SERVICE_PORTS if service_available(s)]
    missing = [s for s in SERVICE_PORTS if not service_available(s)]
    if not (infra_only or bare) and missing:
        say(f"not started, not built yet: {', '.join(missing)}")
    fingerprint = code_fingerprint()
    for name in extras + services:
        start_python_part(name, fingerprint)
    for name in extras:
        port = python_parts()[name][2]
        wait_until(lambda p=port: port_open(p), name, 30, STATE / "logs" / f"{name}.log", name)
    for name in services:
        port = SERVICE_PORTS[name]
        wait_until(lambda p=port: http_ok(f"http://127.0.0.1:{p}/readyz"), name, 60,
                   STATE / "logs" / f"{name}.log", name)
        say(f"{name}: ready")
    write_env_file()
    say(f"up in {time.monotonic() - t0:.1f}s")
    if not infra_only and "gateway" in services:
        say(f"portal:  http://127.0.0.1:{SERVICE_PORTS['gateway']}/")
    if "mailbox" in extras:
        say(f"mail:    http://127.0.0.1:{MAILBOX_HTTP_PORT}/")


def write_env_file() -> None:
    """`.state/stack.env`: what tests and tools need to find the parts."""
    values = {
        "WEERBAAR_DATABASE_ADMIN_URL": DATABASE_ADMIN_URL,
        "WEERBAAR_KAFKA_BOOTSTRAP": KAFKA_BOOTSTRAP,
        "WEERBAAR_SMTP_HOST": "127.0.0.1",
        "WEERBAAR_SMTP_PORT": str(SMTP_PORT),
        "WEERBAAR_MAILBOX_URL": f"http://127.0.0.1:{MAILBOX_HTTP_PORT}",
        "WEERBAAR_IDP_BASE": f"http://127.0.0.1:{IDP_PORT}",
    }
    (STATE / "stack.env").write_text("".join(f"{k}={v}\n" for k, v in values.items()))


def down() -> None:
    for name in list(SERVICE_PORTS) + ["idp", "mailbox"]:
        if running_pid(name):
            say(f"{name}: stopping")
        stop(name)
    Kafka().stop()
    Postgres().stop()
    say("down")


def status() -> int:
    rows = [("postgres", PG_PORT, port_open(PG_PORT)), ("kafka", KAFKA_PORT, port_open(KAFKA_PORT))]
    for name, (_argv, _env, port) in python_parts().items():
        if name in SERVICE_PORTS:
            ok = http_ok(f"http://127.0.0.1:{port}/readyz")
        else:
            ok = port_open(port)
        rows.append((name, port, ok))
    for name, port, ok in rows:
        pid = running_pid(name)
        print(f"{name:10} {port:6} {'up' if ok else 'down':5} {f'pid {pid}' if pid else ''}")
    return 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("command", choices=["up", "down", "status", "env", "stop", "start"])
    ap.add_argument("part", nargs="?", choices=["postgres", "kafka"],
                    help="with stop/start: the one part to stop or start (tests of /readyz)")
    ap.add_argument("--bare", action="store_true", help="only PostgreSQL and Kafka")
    ap.add_argument("--infra", action="store_true",
                    help="only PostgreSQL, Kafka, the mail catcher and the IdP (what tests need)")
    args = ap.parse_args(argv)
    if args.command == "up":
        up(args.infra, args.bare)
    elif args.command in ("stop", "start"):
        part = {"postgres": Postgres(), "kafka": Kafka()}[args.part]
        getattr(part, args.command)()
    elif args.command == "down":
        down()
    elif args.command == "env":
        write_env_file()
        print((STATE / "stack.env").read_text(), end="")
    else:
        return status()
    return 0


if __name__ == "__main__":
    sys.exit(main())
