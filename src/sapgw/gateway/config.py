"""config.ini → one validated `Settings` object.

Every problem is collected with its section and key, so `sapgw config check` can list them
all at once; start-up refuses a config with any problem. Paths are relative to the file.
Environment overrides: SAPGW_CONFIG (which file), SAPGW_DB_URL, SAPGW_ERP_DB_URL.

Passwords in `[auth]` are stored as `scrypt$n$r$p$salt$hash` (salt and hash in hex, the
parameters of `hashlib.scrypt`); `sapgw passwd` prints one.
"""

from __future__ import annotations

import configparser
import os
from dataclasses import dataclass, field
from pathlib import Path

from sapgw.gateway.jobs.settings import JobSettings, read_jobs

# Destination type -> the keys of its section beyond `type` and the SMQS settings.
# Each type is connected by `sapgw.gateway.rfc.destinations.CONNECTORS`.
DESTINATION_KEYS: dict[str, tuple[str, ...]] = {
    # db_url / db_schema: the system's own database (default: the ERP's for sapgw.erp_stub,
    # else <name>.db beside the ERP's file, or schema <erp schema>_<name> on PostgreSQL).
    "local": ("system", "db_url", "db_schema"),
    # JSON RFC to a separately started sapgw (docs/JSON_RFC.md); user/passwd log on with
    # HTTP Basic where the partner has [auth] users; passwd may be `env:NAME`.
    "http": ("url", "user", "passwd"),
    "record": ("wraps", "cassette"),  # docs/CASSETTES.md
    "replay": ("cassette", "match", "ignore"),
    # SM59 type 3 through pyrfc (docs/PYRFC.md): a sapnwrfc.ini `dest`, or the logon
    # parameters (any value may be `env:NAME`, read at connect); `qrfc`: units into SAP's
    # inbound queues instead of tRFC.
    "pyrfc": ("dest", "ashost", "sysnr", "client", "user", "passwd", "lang", "mshost",
              "msserv", "group", "sysid", "saprouter", "trace", "snc_mode", "snc_qop",
              "snc_myname", "snc_partnername", "snc_lib", "qrfc"),
    # A partner's SOAP RFC service through zeep (docs/SOAP.md); passwd may be `env:NAME`.
    "soap": ("url", "wsdl", "user", "passwd", "client"),
}
DESTINATION_TYPES = tuple(DESTINATION_KEYS)
SMQS_KEYS = ("type", "timeout", "retry_count", "retry_interval", "retry_backoff",
             "max_connections", "max_runtime")
SITE_TYPES = ("R/3", "CRM", "XIF")
# A destination value `env:NAME` is read from the environment when a connection opens.
ENV_PREFIX = "env:"
# display reads the monitor and /api, admin also acts; rfc (SAP: a communication user with
# S_RFC) may call the RFC services under /sap/ and nothing else. admin may call them too.
ROLES = ("display", "admin", "rfc")


class ConfigError(Exception):
    def __init__(self, problems: list[str]) -> None:
        super().__init__("config.ini has problems:\n" + "\n".join(f"  - {p}" for p in problems))
        self.problems = problems


@dataclass(frozen=True)
class DestinationSettings:
    """An SM59-like RFC destination, with the SMQS scheduler settings for its queues."""

    name: str
    type: str
    system: str = "sapgw.erp_stub"
    url: str = ""
    timeout: float = 30.0
    retry_count: int = 10
    retry_interval: float = 5.0
    retry_backoff: float = 2.0
    max_connections: int = 10
    max_runtime: float = 60.0
    # The section's type-specific keys as written (e.g. ashost, sysnr for pyrfc).
    params: dict[str, str] = field(default_factory=dict)


def env_value(value: str) -> str:
    """A destination value with `env:NAME` read from the environment ("" if unset)."""
    if value.startswith(ENV_PREFIX):
        return os.environ.get(value.removeprefix(ENV_PREFIX), "")
    return value


def unset_env(params: dict[str, str]) -> list[str]:
    """Problems of `env:NAME` values whose variable is not set."""
    return [f"{key} = {value}: environment variable {value.removeprefix(ENV_PREFIX)} is "
            "not set" for key, value in params.items()
            if value.startswith(ENV_PREFIX) and value.removeprefix(ENV_PREFIX) not in os.environ]


@dataclass(frozen=True)
class SiteSettings:
    name: str
    type: str
    destination: str
    # The company codes the site keeps business partners in (ours, the AIC cookbook's
    # company code replication): a partner sent there must bring data for each of them.
    company_codes: tuple[str, ...] = ()


@dataclass(frozen=True)
class ReplicationObjectSettings:
    name: str
    bdoc_type: str
    criteria: tuple[str, ...] = ()


@dataclass(frozen=True)
class PublicationSettings:
    name: str
    replication_objects: tuple[str, ...]


@dataclass(frozen=True)
class SubscriptionSettings:
    name: str
    publication: str
    sites: tuple[str, ...]
    criteria: dict[str, tuple[str, ...]] = field(default_factory=dict)


@dataclass(frozen=True)
class PasswordHash:
    """A stored password: the scrypt parameters, the salt and the derived key."""

    n: int
    r: int
    p: int
    salt: bytes = field(repr=False)
    digest: bytes = field(repr=False)

    @classmethod
    def parse(cls, text: str) -> PasswordHash:
        """`scrypt$n$r$p$salt$hash`; ValueError says what is wrong."""
        parts = text.split("$")
        if len(parts) != 6 or parts[0] != "scrypt":
            raise ValueError("is not scrypt$n$r$p$salt$hash (make one with `sapgw passwd`)")
        try:
            n, r, p = (int(v) for v in parts[1:4])
            salt, digest = bytes.fromhex(parts[4]), bytes.fromhex(parts[5])
        except ValueError:
            raise ValueError("n, r, p must be whole numbers, salt and hash hex") from None
        if n < 2 or n & (n - 1) or r < 1 or p < 1:
            raise ValueError("n must be a power of 2 above 1, r and p at least 1")
        if len(salt) < 8 or len(digest) < 16:
            raise ValueError("salt must have 8 bytes or more, hash 16 or more")
        return cls(n, r, p, salt, digest)

    def __str__(self) -> str:
        return f"scrypt${self.n}${self.r}${self.p}${self.salt.hex()}${self.digest.hex()}"


@dataclass(frozen=True)
class UserSettings:
    name: str
    role: str
    password: PasswordHash = field(repr=False)


@dataclass(frozen=True)
class AuthSettings:
    """Users of the monitor, the REST API and the RFC services; none means loopback only."""

    users: dict[str, UserSettings] = field(default_factory=dict)
    secret: str = field(default="", repr=False)  # CSRF key; empty: a random one per start


@dataclass(frozen=True)
class RfcServerSettings:
    """`[rfc_server]`: how `sapgw rfc-server` registers at an SAP gateway (docs/PYRFC.md)."""

    dest: str = ""  # a sapnwrfc.ini entry with GWHOST/GWSERV/PROGRAM_ID, or these:
    gwhost: str = ""
    gwserv: str = ""
    program_id: str = ""
    saprouter: str = ""
    trace: str = ""
    repository_destination: str = ""  # pyrfc destination the function metadata comes from
    functions: tuple[str, ...] = ()  # empty: every function the gateway serves


@dataclass(frozen=True)
class Settings:
    path: Path | None
    db_url: str
    erp_db_url: str
    db_schema: str = "sapgw"
    erp_db_schema: str = "erp"
    host: str = "127.0.0.1"
    port: int = 8080
    client: str = "100"
    logical_system: str = "CRMCLNT100"
    erp_logical_system: str = "ERPCLNT100"
    erp_customizing: Path | None = None
    # `sapgw erp serve`: the gateway its deltas go to (the ERP's destination CRM, JSON RFC).
    erp_crm_url: str = ""
    erp_crm_user: str = ""
    erp_crm_passwd: str = field(default="", repr=False)  # may be env:NAME
    # `sapgw erp serve`: the served RAR system (`--system sapgw.erp_stub.rar_system`) FI-CA
    # sends revenue accounting items to (the ERP's destination RAR, JSON RFC).
    erp_rar_url: str = ""
    erp_rar_user: str = ""
    erp_rar_passwd: str = field(default="", repr=False)  # may be env:NAME
    rfc_destination: str = ""
    queue_dependencies: bool = True
    poll_interval: float = 0.5
    lease_seconds: float = 60.0
    bdoc_retention_days: int = 7
    # Isolation (docs/ISOLATION.md): where SQLite snapshots go (None: `snapshots` beside the
    # gateway's database file) and the directory of named states (one folder of TOML each).
    snapshot_dir: Path | None = None
    states_dir: Path | None = None
    destinations: dict[str, DestinationSettings] = field(default_factory=dict)
    sites: dict[str, SiteSettings] = field(default_factory=dict)
    replication_objects: dict[str, ReplicationObjectSettings] = field(default_factory=dict)
    publications: dict[str, PublicationSettings] = field(default_factory=dict)
    subscriptions: dict[str, SubscriptionSettings] = field(default_factory=dict)
    auth: AuthSettings = field(default_factory=AuthSettings)
    rfc_server: RfcServerSettings | None = None
    # [job NAME]: background jobs (SM36, docs/JOBS.md).
    jobs: dict[str, JobSettings] = field(default_factory=dict)


def default_config_path() -> Path:
    return Path(os.environ.get("SAPGW_CONFIG", "config.ini"))


def load_settings(path: Path | str | None = None) -> Settings:
    """Read and validate config.ini; raise ConfigError listing every problem."""
    path = Path(path) if path is not None else default_config_path()
    if not path.is_file():
        raise ConfigError([f"{path}: file not found (set --config or SAPGW_CONFIG)"])
    parser = configparser.ConfigParser(inline_comment_prefixes=(";", "#"), interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    try:
        parser.read(path, encoding="utf-8")
    except configparser.Error as exc:
        raise ConfigError([f"{path}: {exc}"]) from None
    return parse_settings(parser, path.resolve().parent, path)


def parse_settings(parser: configparser.ConfigParser, base: Path, path: Path | None,
                   *, database_overrides: bool = True) -> Settings:
    """Settings from a parsed config.ini; `database_overrides=False` ignores SAPGW_DB_URL and
    SAPGW_ERP_DB_URL (a throw-away gateway's own temporary databases must win)."""
    reader = _Reader(parser, base)
    environ = os.environ if database_overrides else {}
    gw = "gateway"
    erp = "erp"
    settings_kwargs = dict(
        path=path,
        db_url=environ.get("SAPGW_DB_URL") or reader.db_url(gw, "db_url", "var/gateway.db"),
        erp_db_url=environ.get("SAPGW_ERP_DB_URL") or reader.db_url(erp, "db_url",
                                                                      "var/erp.db"),
        db_schema=reader.get(gw, "db_schema", "sapgw"),
        erp_db_schema=reader.get(erp, "db_schema", "erp"),
        host=reader.get(gw, "host", "127.0.0.1"),
        port=reader.integer(gw, "port", 8080, 1, 65535),
        client=reader.get(gw, "client", "100"),
        logical_system=reader.get(gw, "logical_system", "CRMCLNT100"),
        erp_logical_system=reader.get(erp, "logical_system", "ERPCLNT100"),
        erp_customizing=reader.path(erp, "customizing"),
        erp_crm_url=reader.get(erp, "crm_url"),
        erp_crm_user=reader.get(erp, "crm_user"),
        erp_crm_passwd=reader.get(erp, "crm_passwd"),
        erp_rar_url=reader.get(erp, "rar_url"),
        erp_rar_user=reader.get(erp, "rar_user"),
        erp_rar_passwd=reader.get(erp, "rar_passwd"),
        rfc_destination=reader.get(gw, "serve_rfc", "ERP"),
        queue_dependencies=reader.boolean(gw, "queue_dependencies", True),
        poll_interval=reader.number(gw, "poll_interval", 0.5, 0.01, 60),
        lease_seconds=reader.number(gw, "lease_seconds", 60.0, 0.5, 3600),
        bdoc_retention_days=reader.integer(gw, "bdoc_retention_days", 7, 0, 36500),
        snapshot_dir=(reader.base / reader.get(gw, "snapshot_dir")).resolve()
        if reader.get(gw, "snapshot_dir") else None,
        states_dir=reader.path(gw, "states_dir"),
    )
    destinations = {name: reader.destination(name) for name in reader.named("destination")}
    reader.wrapped(destinations)
    sites = {name: reader.site(name, destinations) for name in reader.named("site")}
    objects = {name: reader.replication_object(name) for name in reader.named("replication_object")}
    publications = {name: reader.publication(name, objects) for name in reader.named("publication")}
    subscriptions = {name: reader.subscription(name, publications, sites, objects)
                     for name in reader.named("subscription")}
    if settings_kwargs["rfc_destination"] and (
            destinations.get(settings_kwargs["rfc_destination"]) is None
            or destinations[settings_kwargs["rfc_destination"]].type != "local"):
        reader.problem(gw, "serve_rfc", f"{settings_kwargs['rfc_destination']} is not a "
                       "[destination] of type local")
    crm_url = settings_kwargs["erp_crm_url"]
    if crm_url and not str(crm_url).startswith(("http://", "https://")):
        reader.problem(erp, "crm_url", "needs http://host:port of the gateway (`sapgw serve`)")
    rar_url = settings_kwargs["erp_rar_url"]
    if rar_url and not str(rar_url).startswith(("http://", "https://")):
        reader.problem(erp, "rar_url", "needs http://host:port of the served RAR system "
                       "(`sapgw erp serve --system sapgw.erp_stub.rar_system`)")
    auth = reader.auth()
    rfc_server = reader.rfc_server(destinations)
    jobs = read_jobs(reader, destinations, str(settings_kwargs["rfc_destination"]))
    reader.unknown_sections()
    if reader.problems:
        raise ConfigError(reader.problems)
    return Settings(destinations=destinations, sites=sites, replication_objects=objects,
                    publications=publications, subscriptions=subscriptions, auth=auth,
                    rfc_server=rfc_server, jobs=jobs, **settings_kwargs)  # type: ignore[arg-type]


class _Reader:
    """Reads typed values and records a problem (section, key, reason) for each bad one."""

    KNOWN = ("gateway", "erp", "auth", "destination", "site", "replication_object",
             "publication", "subscription", "rfc_server", "job")

    def __init__(self, parser: configparser.ConfigParser, base: Path) -> None:
        self.parser = parser
        self.base = base
        self.problems: list[str] = []

    def problem(self, section: str, key: str, reason: str) -> None:
        self.problems.append(f"[{section}] {key}: {reason}" if key else f"[{section}] {reason}")

    def named(self, kind: str) -> list[str]:
        return [s.split(" ", 1)[1].strip() for s in self.parser.sections()
                if s.startswith(kind + " ")]

    def unknown_sections(self) -> None:
        for section in self.parser.sections():
            if section.split(" ", 1)[0] not in self.KNOWN:
                self.problem(section, "", f"unknown section; known kinds: {', '.join(self.KNOWN)}")

    def options(self, section: str) -> list[str]:
        return self.parser.options(section) if self.parser.has_section(section) else []

    def get(self, section: str, key: str, default: str = "") -> str:
        if not self.parser.has_section(section):
            return default
        return self.parser.get(section, key, fallback=default).strip()

    def required(self, section: str, key: str) -> str:
        value = self.get(section, key)
        if not value:
            self.problem(section, key, "is required")
        return value

    def integer(self, section: str, key: str, default: int, low: int, high: int) -> int:
        raw = self.get(section, key, str(default))
        try:
            value = int(raw)
        except ValueError:
            self.problem(section, key, f"{raw!r} is not a whole number")
            return default
        if not low <= value <= high:
            self.problem(section, key, f"{value} is outside {low}..{high}")
            return default
        return value

    def number(self, section: str, key: str, default: float, low: float, high: float) -> float:
        raw = self.get(section, key, str(default))
        try:
            value = float(raw)
        except ValueError:
            self.problem(section, key, f"{raw!r} is not a number")
            return default
        if not low <= value <= high:
            self.problem(section, key, f"{value} is outside {low}..{high}")
            return default
        return value

    def boolean(self, section: str, key: str, default: bool) -> bool:
        raw = self.get(section, key, "yes" if default else "no").lower()
        if raw in ("yes", "true", "on", "1", "x"):
            return True
        if raw in ("no", "false", "off", "0", ""):
            return False
        self.problem(section, key, f"{raw!r} is not yes or no")
        return default

    def listing(self, section: str, key: str) -> tuple[str, ...]:
        return tuple(v.strip() for v in self.get(section, key).split(",") if v.strip())

    def path(self, section: str, key: str) -> Path | None:
        raw = self.get(section, key)
        if not raw:
            return None
        path = (self.base / raw).resolve()
        if not path.exists():
            self.problem(section, key, f"{path} does not exist")
        return path

    def db_url(self, section: str, key: str, default_path: str) -> str:
        raw = self.get(section, key)
        if not raw:
            return f"sqlite:///{(self.base / default_path).resolve()}"
        if raw.startswith("sqlite:///") and not raw.startswith("sqlite:////"):
            relative = raw.removeprefix("sqlite:///")
            if relative and relative != ":memory:":
                return f"sqlite:///{(self.base / relative).resolve()}"
        if not raw.startswith(("sqlite:", "postgresql")):
            self.problem(section, key, f"{raw!r} is neither a sqlite:/// nor a postgresql:// URL")
        return raw

    def destination(self, name: str) -> DestinationSettings:
        section = f"destination {name}"
        kind = self.get(section, "type", "local")
        params: dict[str, str] = {}
        if kind not in DESTINATION_KEYS:
            self.problem(section, "type", f"{kind!r} is not one of {', '.join(DESTINATION_TYPES)}")
        else:
            known = DESTINATION_KEYS[kind]
            other_types = {key for keys in DESTINATION_KEYS.values() for key in keys}
            for key, value in self.parser.items(section):
                if key in known:
                    params[key] = value.strip()
                elif key not in SMQS_KEYS and key not in other_types:  # left from a type change
                    self.problem(section, key, f"not a key of a {kind} destination; its keys: "
                                 f"{', '.join(known + SMQS_KEYS)}")
        url = self.get(section, "url")
        if kind == "http" and not url.startswith(("http://", "https://")):
            self.problem(section, "url", "an http destination needs url = http://host:port")
        if kind == "soap" and not url.startswith(("http://", "https://")):
            self.problem(section, "url", "a soap destination needs url = "
                         "http://host:port/sap/bc/soap/rfc")
        if kind == "soap":
            self.digits(section, params, "client", 3)
        if kind in ("record", "replay"):
            self.cassette(section, kind, params)
        if kind == "pyrfc":
            self.pyrfc_logon(section, params)
        if kind == "local" and params.get("db_url"):
            params["db_url"] = self.db_url(section, "db_url", "")
        return DestinationSettings(params=params,
            name=name, type=kind, system=self.get(section, "system", "sapgw.erp_stub"), url=url,
            timeout=self.number(section, "timeout", 30.0, 0.1, 3600),
            retry_count=self.integer(section, "retry_count", 10, 0, 1_000_000),
            retry_interval=self.number(section, "retry_interval", 5.0, 0.0, 86400),
            retry_backoff=self.number(section, "retry_backoff", 2.0, 1.0, 10.0),
            max_connections=self.integer(section, "max_connections", 10, 1, 1000),
            max_runtime=self.number(section, "max_runtime", 60.0, 0.1, 86400),
        )

    def pyrfc_logon(self, section: str, params: dict[str, str]) -> None:
        """Enough to log on: a sapnwrfc.ini dest, an application server or load balancing."""
        def has(*keys: str) -> bool:
            return all(params.get(key) for key in keys)

        if params.get("qrfc", "no").lower() not in ("yes", "no"):
            self.problem(section, "qrfc", f"{params['qrfc']!r} is not yes or no")
        self.digits(section, params, "sysnr", 2)
        self.digits(section, params, "client", 3)
        trace = params.get("trace", "")
        if trace and not trace.startswith(ENV_PREFIX) and trace not in ("0", "1", "2", "3"):
            self.problem(section, "trace", f"{trace!r} is not an SDK trace level 0-3")
        if has("dest"):
            return
        if has("ashost") or not has("mshost"):
            missing = [k for k in ("ashost", "sysnr", "client") if not params.get(k)]
        else:
            missing = [k for k in ("group", "client") if not params.get(k)]
            if not has("sysid") and not has("msserv"):
                missing.append("sysid (or msserv)")
        if not has("user") and not has("snc_partnername"):
            missing.append("user")
        if missing:
            self.problem(section, "type", "'pyrfc' needs dest = <sapnwrfc.ini entry>, or "
                         "ashost, sysnr, client, user (application server), or "
                         f"mshost, sysid, group, client, user (load balancing); missing: "
                         f"{', '.join(missing)}")

    def digits(self, section: str, params: dict[str, str], key: str, count: int) -> None:
        """An SAP number of `count` digits (system number 00, client 100), if given."""
        value = params.get(key, "")
        if value and not value.startswith(ENV_PREFIX) and not (
                value.isascii() and value.isdigit() and len(value) == count):
            self.problem(section, key, f"{value!r} is not {count} digits")

    def rfc_server(self, destinations: dict[str, DestinationSettings]
                   ) -> RfcServerSettings | None:
        section = "rfc_server"
        if not self.parser.has_section(section):
            return None
        keys = ("dest", "gwhost", "gwserv", "program_id", "saprouter", "trace",
                "repository_destination", "functions")
        for key in self.parser.options(section):
            if key not in keys:
                self.problem(section, key, f"unknown key; known: {', '.join(keys)}")
        values = {key: self.get(section, key) for key in keys[:-1]}
        if not values["dest"] and not all(values[k] for k in ("gwhost", "gwserv", "program_id")):
            self.problem(section, "dest", "registration needs dest = <sapnwrfc.ini entry> or "
                         "gwhost, gwserv and program_id")
        repository = values["repository_destination"]
        if not repository or getattr(destinations.get(repository), "type", "") != "pyrfc":
            self.problem(section, "repository_destination", f"{repository or '(empty)'} is not "
                         "a [destination] of type pyrfc (the SAP system function metadata "
                         "is read from)")
        return RfcServerSettings(functions=tuple(f.upper() for f in self.listing(section,
                                                                               "functions")),
                                 **values)

    def cassette(self, section: str, kind: str, params: dict[str, str]) -> None:
        """record/replay keys; the cassette path is resolved here, against this file."""
        from sapgw.rfc.cassette import MATCH_MODES

        if kind == "record" and not params.get("wraps"):
            self.problem(section, "wraps", "is required: the destination whose calls are recorded")
        if kind == "replay" and params.get("match", "params") not in MATCH_MODES:
            self.problem(section, "match", f"{params['match']!r} is not one of "
                                           f"{', '.join(MATCH_MODES)}")
        if not params.get("cassette"):
            self.problem(section, "cassette", "is required: a JSON lines file "
                                              "(docs/CASSETTES.md)")
            return
        path = (self.base / params["cassette"]).resolve()
        params["cassette"] = str(path)
        if kind == "replay" and not path.is_file():
            self.problem(section, "cassette", f"{path} does not exist (record one with a "
                                              "type = record destination)")
        if kind == "record":
            existing = next(p for p in (path, *path.parents) if p.exists())
            if existing == path and not path.is_file():
                self.problem(section, "cassette", f"{path} is not a file")
            elif existing != path and not existing.is_dir():
                self.problem(section, "cassette", f"{existing} is not a directory, so "
                                                  f"{path} cannot be created")
            elif not os.access(existing, os.W_OK):
                self.problem(section, "cassette", f"{existing} is not writable")

    def wrapped(self, destinations: dict[str, DestinationSettings]) -> None:
        """A record destination wraps another defined destination, and no chain loops."""
        def wraps(name: str) -> str:
            dest = destinations.get(name)
            return dest.params.get("wraps", "") if dest and dest.type == "record" else ""

        for name in destinations:
            section, chain = f"destination {name}", [name, wraps(name)]
            if not chain[1]:
                continue
            if chain[1] == name:
                self.problem(section, "wraps", "a destination cannot wrap itself")
            elif chain[1] not in destinations:
                self.problem(section, "wraps", f"no [destination {chain[1]}] section")
            else:
                while wraps(chain[-1]) and wraps(chain[-1]) not in chain:
                    chain.append(wraps(chain[-1]))
                if wraps(chain[-1]) == name:
                    self.problem(section, "wraps", f"{' -> '.join(chain)} -> {name} wraps "
                                                   "in a circle")

    def site(self, name: str, destinations: dict[str, DestinationSettings]) -> SiteSettings:
        section = f"site {name}"
        kind = self.get(section, "type", "R/3")
        if kind not in SITE_TYPES:
            self.problem(section, "type", f"{kind!r} is not one of {', '.join(SITE_TYPES)}")
        destination = self.required(section, "destination")
        if destination and destination not in destinations:
            self.problem(section, "destination", f"no [destination {destination}] section")
        return SiteSettings(name, kind, destination, self.listing(section, "company_codes"))

    def replication_object(self, name: str) -> ReplicationObjectSettings:
        section = f"replication_object {name}"
        return ReplicationObjectSettings(name, self.get(section, "bdoc_type", name),
                                         self.listing(section, "criteria"))

    def publication(self, name: str, objects: dict[str, ReplicationObjectSettings]
                    ) -> PublicationSettings:
        section = f"publication {name}"
        members = self.listing(section, "replication_objects")
        if not members:
            self.problem(section, "replication_objects", "is required")
        for member in members:
            if member not in objects:
                self.problem(section, "replication_objects",
                             f"no [replication_object {member}] section")
        return PublicationSettings(name, members)

    def subscription(self, name: str, publications: dict[str, PublicationSettings],
                     sites: dict[str, SiteSettings],
                     objects: dict[str, ReplicationObjectSettings]) -> SubscriptionSettings:
        section = f"subscription {name}"
        publication = self.required(section, "publication")
        if publication and publication not in publications:
            self.problem(section, "publication", f"no [publication {publication}] section")
        members = self.listing(section, "sites")
        if not members:
            self.problem(section, "sites", "is required")
        for site in members:
            if site not in sites:
                self.problem(section, "sites", f"no [site {site}] section")
        criteria: dict[str, tuple[str, ...]] = {}
        allowed = {c for o in objects.values() for c in o.criteria}
        for key in self.parser.options(section):
            if not key.startswith("criteria."):
                if key not in ("publication", "sites"):
                    self.problem(section, key, "unknown key")
                continue
            field_name = key.removeprefix("criteria.")
            if field_name not in allowed:
                self.problem(section, key, f"{field_name} is not a criteria field of any "
                                           "replication object")
            criteria[field_name] = self.listing(section, key)
        return SubscriptionSettings(name, publication, members, criteria)

    def auth(self) -> AuthSettings:
        """`users = name:role:hash, ...` and/or one `user.<name> = <role> <hash>` per user."""
        section = "auth"
        if not self.parser.has_section(section):
            return AuthSettings()
        entries: list[tuple[str, str, str, str]] = []  # key, name, role, hash
        for key in self.parser.options(section):
            if key == "users":
                for entry in self.listing(section, key):
                    name, role, hashed = [*entry.split(":", 2), "", ""][:3]
                    if not hashed:
                        self.problem(section, key,
                                     f"entry {name.strip()!r}… is not name:role:hash")
                        continue
                    entries.append((key, name.strip(), role.strip(), hashed.strip()))
            elif key.startswith("user."):
                role, _, hashed = self.get(section, key).partition(" ")
                entries.append((key, key.removeprefix("user."), role, hashed.strip()))
            elif key != "secret":
                self.problem(section, key, "unknown key; use users, user.<name> or secret")
        users: dict[str, UserSettings] = {}
        for key, name, role, hashed in entries:
            user = self.user(key, name, role, hashed)
            if user is not None and name in users:
                self.problem(section, key, f"user {name} is configured twice")
            elif user is not None:
                users[name] = user
        secret = self.get(section, "secret")
        if secret and len(secret) < 16:
            self.problem(section, "secret", "must be 16 characters or more (or empty: random)")
        return AuthSettings(users, secret)

    def user(self, key: str, name: str, role: str, hashed: str) -> UserSettings | None:
        if not name or not name.replace("_", "").replace("-", "").replace(".", "").isalnum():
            self.problem("auth", key, f"user name {name!r} must be letters, digits, . _ -")
            return None
        if role not in ROLES:
            self.problem("auth", key, f"role {role!r} of {name} is not one of {', '.join(ROLES)}")
            return None
        try:
            password = PasswordHash.parse(hashed)
        except ValueError as exc:
            self.problem("auth", key, f"password hash of {name} {exc}")
            return None
        return UserSettings(name, role, password)
