"""The deployment files (deploy/), checked offline: no cluster and no registry here.

Kubernetes manifests are validated against the API schemas of a pinned Kubernetes
version (kubernetes-validate, strict: unknown fields fail). The rest checks what a
schema cannot: probes on the health endpoints each process really serves, commands
that match across Kubernetes, compose and the images, settings the code really
reads, and images that run as non-root from files git really holds.
"""

from __future__ import annotations

import copy
import json
import re
import shlex
import subprocess
from pathlib import Path

import kubernetes_validate
import pytest
import yaml
from kubernetes_validate.utils import ValidationError

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
K8S = DEPLOY / "k8s"
KUBERNETES_VERSION = "1.34"
NAMESPACE = "doemee"
# Applied by hand, not by `kubectl apply -k`: the Secret holds placeholders, the Job runs first.
NOT_IN_KUSTOMIZATION = {"kustomization.yaml", "secret.example.yaml", "migrate-job.yaml"}
APP_UID = 10001

# The fixed table: command, port, health path and image of every long-running process.
PROCESSES = {
    "gateway": (["python", "-m", "bot.web", "--host", "0.0.0.0", "--port", "8000"], 8000, "/healthz", "app"),
    "actions": (["python", "-m", "rasa_sdk", "--actions", "actions", "--port", "5055"], 5055, "/health", "app"),
    "rasa": (["python", "-m", "rasa_addons.serve", "run", "--model", "models/doemee.tar.gz",
              "--endpoints", "endpoints.yml", "--credentials", "credentials.yml",
              "--port", "5005", "--interface", "0.0.0.0"], 5005, "/", "rasa"),
    "telegram": (["python", "-m", "bot.telegram"], 8443, "/healthz", "app"),
}
JOBS = {
    "migrate": ["python", "-m", "doemee.cli", "migrate"],
    "retention": ["python", "-m", "doemee.cli", "retention"],
}
REPLICAS = {"gateway": 2, "actions": 2, "rasa": 2, "telegram": 2}

# What each process needs in production, beyond the code's defaults.
REQUIRED_ENV = {
    "gateway": {"DOEMEE_DATABASE_URL", "DOEMEE_RASA_URL", "DOEMEE_REDIS_URL", "DOEMEE_SECRET_KEY",
                "DOEMEE_PUBLIC_URL", "DOEMEE_TRUSTED_PROXIES", "DOEMEE_PORTAL_SECURE_COOKIES", "DOEMEE_SMTP_HOST"},
    "actions": {"DOEMEE_DATABASE_URL", "DOEMEE_SECRET_KEY", "DOEMEE_PUBLIC_URL"},
    "rasa": {"DOEMEE_ACTION_URL", "DOEMEE_TRACKER_STORE_URL", "DOEMEE_REDIS_URL"},
    "telegram": {"TELEGRAM_BOT_TOKEN", "DOEMEE_DATABASE_URL", "DOEMEE_RASA_URL", "DOEMEE_REDIS_URL",
                 "DOEMEE_TELEGRAM_WEBHOOK_URL", "DOEMEE_TELEGRAM_SECRET_TOKEN", "DOEMEE_TELEGRAM_WEBHOOK_LISTEN"},
    "migrate": {"DOEMEE_DATABASE_URL"},
    "backup": {"DOEMEE_DATABASE_URL"},
    "retention": {"DOEMEE_DATABASE_URL", "DOEMEE_TRACKER_STORE_URL", "DOEMEE_RETENTION_DAYS"},
}
# Settings that carry a password or a key: only ever in a Secret.
SECRET_ENV = {"DOEMEE_DATABASE_URL", "DOEMEE_TRACKER_STORE_URL", "DOEMEE_SECRET_KEY", "DOEMEE_SMTP_USER",
              "DOEMEE_SMTP_PASSWORD", "TELEGRAM_BOT_TOKEN", "DOEMEE_TELEGRAM_SECRET_TOKEN"}
# Names the code does not read, and who does.
OTHER_READERS = {
    "POSTGRES_USER": "the postgres image", "POSTGRES_DB": "the postgres image",
    "POSTGRES_PASSWORD": "the postgres image and compose.yaml's URLs",
    "APP_IMAGE": "compose.yaml", "RASA_IMAGE": "compose.yaml",
}
CODE_DIRS = ["bot", "actions", "doemee", "rasa_addons", "nlu"]
RASA_ENDPOINT_FILES = ["endpoints.yml", "credentials.yml"]


def manifests() -> list[tuple[str, dict]]:
    found = []
    for path in sorted(K8S.glob("*.yaml")):
        if path.name == "kustomization.yaml":
            continue
        found += [(path.name, doc) for doc in yaml.safe_load_all(path.read_text()) if doc]
    return found


def of_kind(*kinds: str) -> list[dict]:
    return [doc for _, doc in manifests() if doc["kind"] in kinds]


def named(kind: str, name: str) -> dict:
    return next(doc for doc in of_kind(kind) if doc["metadata"]["name"] == name)


def pod_spec(doc: dict) -> dict:
    if doc["kind"] == "CronJob":
        return doc["spec"]["jobTemplate"]["spec"]["template"]["spec"]
    return doc["spec"]["template"]["spec"]


def resolved_env(container: dict) -> dict[str, str]:
    """The container's environment as Kubernetes would build it; a missing key fails here."""
    env: dict[str, str] = {}
    for source in container.get("envFrom", []):
        if "configMapRef" in source:
            env.update(named("ConfigMap", source["configMapRef"]["name"])["data"])
        else:
            env.update(named("Secret", source["secretRef"]["name"])["stringData"])
    for item in container.get("env", []):
        if "value" in item:
            env[item["name"]] = item["value"]
            continue
        ref = item["valueFrom"]
        if "configMapKeyRef" in ref:
            env[item["name"]] = named("ConfigMap", ref["configMapKeyRef"]["name"])["data"][ref["configMapKeyRef"]["key"]]
        else:
            env[item["name"]] = named("Secret", ref["secretKeyRef"]["name"])["stringData"][ref["secretKeyRef"]["key"]]
    return env


def code_reads(name: str) -> bool:
    """A quoted name in the Python sources, or a ${NAME} Rasa substitutes in its endpoint files."""
    pattern = re.compile(rf"[\"']{re.escape(name)}[\"']")
    if any(pattern.search(path.read_text()) for folder in CODE_DIRS for path in (ROOT / folder).rglob("*.py")):
        return True
    return any(f"${{{name}}}" in (ROOT / file).read_text() for file in RASA_ENDPOINT_FILES)


def compose() -> dict:
    return yaml.safe_load((DEPLOY / "compose.yaml").read_text())


def env_example() -> dict[str, str]:
    pairs = {}
    for line in (DEPLOY / "env.example").read_text().splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            name, _, value = line.partition("=")
            pairs[name.strip()] = value
    return pairs


# --- Kubernetes: schemas -------------------------------------------------------

@pytest.mark.parametrize("name,doc", manifests(), ids=lambda value: value if isinstance(value, str) else "")
def test_every_manifest_is_valid_for_the_pinned_kubernetes_version(name, doc):
    assert kubernetes_validate.validate(doc, KUBERNETES_VERSION, strict=True) == KUBERNETES_VERSION
    assert doc["kind"] == "Namespace" or doc["metadata"]["namespace"] == NAMESPACE


def test_a_misspelled_field_fails_validation():
    broken = copy.deepcopy(named("Deployment", "gateway"))
    container = broken["spec"]["template"]["spec"]["containers"][0]
    container["readinessProbes"] = container.pop("readinessProbe")
    with pytest.raises(ValidationError):
        kubernetes_validate.validate(broken, KUBERNETES_VERSION, strict=True)


def test_a_wrong_type_fails_validation():
    broken = copy.deepcopy(named("StatefulSet", "rasa"))
    broken["spec"]["replicas"] = "two"
    with pytest.raises(ValidationError):
        kubernetes_validate.validate(broken, KUBERNETES_VERSION, strict=True)


def test_kustomization_lists_every_manifest_but_the_secret_and_the_migration():
    kustomization = yaml.safe_load((K8S / "kustomization.yaml").read_text())
    on_disk = {path.name for path in K8S.glob("*.yaml")} - NOT_IN_KUSTOMIZATION
    assert sorted(kustomization["resources"]) == sorted(on_disk)
    assert kustomization["namespace"] == NAMESPACE


# --- Kubernetes: processes, probes, replicas -----------------------------------

@pytest.mark.parametrize("name", sorted(PROCESSES))
def test_every_process_runs_its_command_with_probes_on_its_health_endpoint(name):
    command, port, path, image = PROCESSES[name]
    workload = named("StatefulSet" if name == "rasa" else "Deployment", name)
    assert workload["spec"]["replicas"] == REPLICAS[name]
    (container,) = pod_spec(workload)["containers"]
    assert container["command"] == command
    assert container["image"].split("/")[-1].startswith(f"doemee-{image}:")
    assert [p["containerPort"] for p in container["ports"]] == [port]
    for probe in ("readinessProbe", "livenessProbe"):
        assert container[probe]["httpGet"] == {"path": path, "port": port}, probe
        assert container[probe]["timeoutSeconds"] >= 3
    service = named("Service", name)
    assert [(p["port"], p["targetPort"]) for p in service["spec"]["ports"]] == [(port, port)]
    assert service["spec"]["selector"] == workload["spec"]["selector"]["matchLabels"]


def test_rasa_gets_a_startup_probe_long_enough_to_load_its_model():
    (container,) = pod_spec(named("StatefulSet", "rasa"))["containers"]
    startup = container["startupProbe"]
    assert startup["httpGet"] == {"path": "/", "port": 5005}
    assert startup.get("initialDelaySeconds", 0) + startup["periodSeconds"] * startup["failureThreshold"] >= 180


def test_rasa_instances_are_addressed_one_by_one_through_a_headless_service():
    rasa = named("StatefulSet", "rasa")
    assert rasa["spec"]["serviceName"] == "rasa"
    assert named("Service", "rasa")["spec"]["clusterIP"] == "None"
    urls = named("ConfigMap", "doemee-config")["data"]["DOEMEE_RASA_URL"].split(",")
    assert urls == [f"http://rasa-{i}.rasa:5005" for i in range(rasa["spec"]["replicas"])]
    assert named("ConfigMap", "doemee-config")["data"]["DOEMEE_ACTION_URL"] == "http://actions:5055/webhook"


def test_every_workload_has_a_disruption_budget_that_keeps_one_instance():
    budgets = {doc["metadata"]["name"]: doc for doc in of_kind("PodDisruptionBudget")}
    for workload in of_kind("Deployment", "StatefulSet"):
        budget = budgets[workload["metadata"]["name"]]
        assert budget["spec"]["selector"] == workload["spec"]["selector"]
        assert budget["spec"].get("minAvailable", 0) >= 1 or budget["spec"]["maxUnavailable"] < workload["spec"]["replicas"]


def test_every_pod_runs_as_the_image_user_without_privileges_and_with_limits():
    for doc in of_kind("Deployment", "StatefulSet", "Job", "CronJob"):
        spec = pod_spec(doc)
        assert spec["securityContext"]["runAsNonRoot"] is True
        assert spec["securityContext"]["runAsUser"] == APP_UID
        assert spec["automountServiceAccountToken"] is False
        mounted_tmp = {v["name"] for v in spec["volumes"] if "emptyDir" in v}
        for container in spec["containers"]:
            security = container["securityContext"]
            assert security["allowPrivilegeEscalation"] is False
            assert security["readOnlyRootFilesystem"] is True
            assert security["capabilities"]["drop"] == ["ALL"]
            assert {m["mountPath"] for m in container["volumeMounts"] if m["name"] in mounted_tmp} == {"/tmp"}
            assert set(container["resources"]["requests"]) == set(container["resources"]["limits"]) == {"cpu", "memory"}


def test_rasa_gets_the_memory_its_model_needs():
    (container,) = pod_spec(named("StatefulSet", "rasa"))["containers"]
    assert container["resources"]["requests"]["memory"] == "1536Mi"
    assert container["resources"]["limits"]["memory"] == "2Gi"


def test_jobs_migrate_first_then_back_up_and_forget_daily():
    migrate = named("Job", "doemee-migrate")
    assert pod_spec(migrate)["containers"][0]["command"] == JOBS["migrate"]
    assert pod_spec(migrate)["restartPolicy"] == "Never"
    retention = named("CronJob", "doemee-retention")
    assert pod_spec(retention)["containers"][0]["command"] == JOBS["retention"]
    backup = named("CronJob", "doemee-backup")
    (container,) = pod_spec(backup)["containers"]
    script = container["command"][-1]
    assert container["command"][:2] == ["/bin/sh", "-c"]
    assert script.startswith('python -m doemee.cli backup "/backup/doemee-$(date +%F).bak"')
    claim = {v["name"]: v for v in pod_spec(backup)["volumes"]}["backup"]["persistentVolumeClaim"]["claimName"]
    assert named("PersistentVolumeClaim", claim)
    assert {"name": "backup", "mountPath": "/backup"} in container["volumeMounts"]
    for cron in (backup, retention):
        assert cron["spec"]["concurrencyPolicy"] == "Forbid"
        assert len(cron["spec"]["schedule"].split()) == 5


def test_postgres_and_redis_are_named_dependencies_not_run_here():
    for name in ("postgres", "redis"):
        assert named("Service", name)["spec"]["type"] == "ExternalName"
    images = {c["image"] for doc in of_kind("Deployment", "StatefulSet") for c in pod_spec(doc)["containers"]}
    assert not any("postgres" in image or "redis" in image for image in images)


# --- Settings ------------------------------------------------------------------

def manifest_env_names() -> set[str]:
    names = set(named("ConfigMap", "doemee-config")["data"])
    for secret in of_kind("Secret"):
        names |= set(secret["stringData"])
    for doc in of_kind("Deployment", "StatefulSet", "Job", "CronJob"):
        names |= {item["name"] for c in pod_spec(doc)["containers"] for item in c.get("env", [])}
    return names


def compose_env_names() -> set[str]:
    return {name for service in compose()["services"].values() for name in service.get("environment", {})}


def containerfile_env_names() -> set[str]:
    names = set()
    for image in ("app", "rasa"):
        for keyword, rest in instructions(image):
            if keyword == "ENV":
                names |= {pair.split("=")[0] for pair in shlex.split(rest) if pair.startswith("DOEMEE_")}
    return names


def test_every_setting_in_the_deployment_files_is_one_the_code_reads():
    names = manifest_env_names() | compose_env_names() | set(env_example()) | containerfile_env_names()
    unread = sorted(name for name in names if name not in OTHER_READERS and not code_reads(name))
    assert unread == [], f"no Python source in {CODE_DIRS} reads {unread}"


def test_the_setting_check_catches_a_name_nobody_reads():
    assert code_reads("DOEMEE_PUBLIC_URL")
    assert code_reads("DOEMEE_ACTION_URL")
    assert not code_reads("DOEMEE_PUBLIC_URLS")


@pytest.mark.parametrize("role", sorted(REQUIRED_ENV))
def test_every_process_gets_what_it_needs_in_production(role):
    doc = {
        "migrate": lambda: named("Job", "doemee-migrate"),
        "backup": lambda: named("CronJob", "doemee-backup"),
        "retention": lambda: named("CronJob", "doemee-retention"),
    }.get(role, lambda: named("StatefulSet" if role == "rasa" else "Deployment", role))()
    (container,) = pod_spec(doc)["containers"]
    env = resolved_env(container)
    assert sorted(REQUIRED_ENV[role] - set(env)) == []
    assert all(env[name] for name in REQUIRED_ENV[role] if name != "DOEMEE_TRUSTED_PROXIES")


def test_rasa_sees_no_app_secrets():
    (container,) = pod_spec(named("StatefulSet", "rasa"))["containers"]
    assert "envFrom" not in container
    assert set(resolved_env(container)) & SECRET_ENV == {"DOEMEE_TRACKER_STORE_URL"}


def test_secrets_are_only_in_secrets_and_only_placeholders_there():
    assert not SECRET_ENV & set(named("ConfigMap", "doemee-config")["data"])
    in_secrets = {}
    for secret in of_kind("Secret"):
        in_secrets.update(secret["stringData"])
    assert SECRET_ENV <= set(in_secrets)
    for name, value in in_secrets.items():
        assert "CHANGE-ME" in value, name
    assert "EXAMPLE ONLY" in (K8S / "secret.example.yaml").read_text()
    for name in SECRET_ENV | {"POSTGRES_PASSWORD"}:
        value = env_example().get(name)
        assert value is None or "CHANGE-ME" in value or value == "", name


def test_urls_point_at_the_right_database_and_driver():
    secrets = named("Secret", "doemee-secrets")["stringData"]
    assert secrets["DOEMEE_DATABASE_URL"].startswith("postgresql+psycopg://")
    assert secrets["DOEMEE_DATABASE_URL"].endswith("@postgres:5432/doemee")
    assert secrets["DOEMEE_TRACKER_STORE_URL"].startswith("postgresql://")
    assert secrets["DOEMEE_TRACKER_STORE_URL"].endswith("@postgres:5432/rasa")
    assert named("ConfigMap", "doemee-config")["data"]["DOEMEE_REDIS_URL"] == "redis://redis:6379/0"


# --- Compose -------------------------------------------------------------------

def test_compose_runs_the_same_commands_as_kubernetes():
    services = compose()["services"]
    for name in ("gateway", "actions", "telegram"):
        assert services[name]["command"] == PROCESSES[name][0], name
    for name in ("rasa-1", "rasa-2"):
        assert services[name]["command"] == PROCESSES["rasa"][0], name
    for name in ("migrate", "retention"):
        assert services[name]["command"] == JOBS[name], name
    assert "python -m doemee.cli backup \"/backup/doemee-$$(date +%F).bak\"" in services["backup"]["command"][-1]


def test_compose_rasa_urls_name_each_rasa_service():
    services = compose()["services"]
    urls = services["gateway"]["environment"]["DOEMEE_RASA_URL"].split(",")
    assert urls == ["http://rasa-1:5005", "http://rasa-2:5005"]
    assert all(url.split("//")[1].split(":")[0] in services for url in urls)


def test_compose_services_have_healthchecks_and_wait_for_what_they_need():
    services = compose()["services"]
    health_paths = {"gateway": "8000/healthz", "actions": "5055/health", "rasa-1": "5005/", "rasa-2": "5005/"}
    for name, path in health_paths.items():
        assert path in " ".join(services[name]["healthcheck"]["test"]), name
    for name in ("postgres", "redis"):
        assert services[name]["healthcheck"]["test"][0] == "CMD"
    conditions = {"service_started", "service_healthy", "service_completed_successfully"}
    for name, service in services.items():
        for dependency, rule in service.get("depends_on", {}).items():
            assert dependency in services and rule["condition"] in conditions, (name, dependency)
            if rule["condition"] == "service_healthy":
                assert not services[dependency].get("healthcheck", {}).get("disable"), (name, dependency)
    for name in ("gateway", "actions", "telegram"):
        assert services[name]["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
    assert services["telegram"]["profiles"] == ["telegram"]
    assert services["actions"]["deploy"]["replicas"] == 2


def test_compose_images_are_pinned_and_only_the_gateway_is_published():
    services = compose()["services"]
    assert services["postgres"]["image"] == "postgres:15-bookworm"
    assert services["redis"]["image"].startswith("redis:7")
    for name, service in services.items():
        for port in service.get("ports", []):
            assert port.startswith("127.0.0.1:"), name
    assert "./postgres-init:/docker-entrypoint-initdb.d:ro" in services["postgres"]["volumes"]
    assert "CREATE DATABASE rasa" in (DEPLOY / "postgres-init" / "10-rasa-database.sql").read_text()


def test_every_variable_compose_interpolates_is_in_env_example():
    text = (DEPLOY / "compose.yaml").read_text().replace("$$", "")
    used = set(re.findall(r"\$\{([A-Z0-9_]+)", text))
    assert sorted(used - set(env_example())) == []
    assert sorted(set(env_example()) - used) == []


def test_compose_gives_each_process_what_it_needs_in_production():
    services = compose()["services"]
    roles = {"gateway": "gateway", "actions": "actions", "rasa-1": "rasa", "telegram": "telegram",
             "migrate": "migrate", "backup": "backup", "retention": "retention"}
    for service, role in roles.items():
        assert sorted(REQUIRED_ENV[role] - set(services[service]["environment"])) == [], service


# --- Containerfiles --------------------------------------------------------------

def instructions(image: str) -> list[tuple[str, str]]:
    """(KEYWORD, arguments) per instruction, continuation lines joined, comments dropped."""
    lines, current = [], ""
    for raw in (DEPLOY / f"{image}.Containerfile").read_text().splitlines():
        if raw.lstrip().startswith("#") or not raw.strip():
            continue
        current += raw.rstrip()
        if current.endswith("\\"):
            current = current[:-1] + " "
            continue
        lines.append(current.strip())
        current = ""
    assert not current, "a continuation line ends the file"
    return [(line.split(None, 1)[0].upper(), line.split(None, 1)[1]) for line in lines]


def exec_form(rest: str) -> list[str]:
    value = json.loads(rest)
    assert isinstance(value, list), "use the exec form (a JSON list)"
    return value


def git_ignored(path: str) -> bool:
    return subprocess.run(["git", "check-ignore", "-q", path], cwd=ROOT).returncode == 0


@pytest.mark.parametrize("image", ["app", "rasa"])
def test_base_images_are_pinned_to_a_version(image):
    stages = set()
    for keyword, rest in instructions(image):
        if keyword == "FROM":
            parts = rest.split()
            reference = parts[0]
            if reference not in stages:
                name, _, tag = reference.partition(":")
                assert re.fullmatch(r"\d+\.\d+\.\d+-slim-bookworm", tag), reference
                assert name == "python"
            if len(parts) == 3 and parts[1].upper() == "AS":
                stages.add(parts[2])
    expected_python = {"app": "3.11.", "rasa": "3.10."}[image]
    assert next(rest for keyword, rest in instructions(image) if keyword == "FROM").startswith(f"python:{expected_python}")


@pytest.mark.parametrize("image", ["app", "rasa"])
def test_every_copied_file_is_in_git_not_in_an_ignored_folder(image):
    checked = 0
    for keyword, rest in instructions(image):
        if keyword not in ("COPY", "ADD"):
            continue
        assert keyword == "COPY", "ADD fetches and unpacks; use COPY"
        words = rest.split()
        if any(word.startswith("--from=") for word in words):
            continue
        sources = [word for word in words if not word.startswith("--")][:-1]
        for source in sources:
            assert (ROOT / source).exists(), source
            assert not git_ignored(source), f"{source} is ignored by git: a clean checkout has no such file"
            checked += 1
    assert checked >= 5


@pytest.mark.parametrize("image", ["app", "rasa"])
def test_images_run_as_the_non_root_user_the_pods_expect(image):
    users = [rest for keyword, rest in instructions(image) if keyword == "USER"]
    assert users[-1] == f"{APP_UID}:{APP_UID}"
    assert instructions(image)[-1][0] in ("CMD", "ENTRYPOINT")


@pytest.mark.parametrize("image", ["app", "rasa"])
def test_images_expose_their_ports_check_health_and_start_a_module_that_exists(image):
    steps = instructions(image)
    exposed = {int(port) for keyword, rest in steps if keyword == "EXPOSE" for port in rest.split()}
    roles = [name for name, process in PROCESSES.items() if process[3] == image]
    assert exposed == {PROCESSES[name][1] for name in roles}
    (healthcheck,) = [rest for keyword, rest in steps if keyword == "HEALTHCHECK"]
    default = "gateway" if image == "app" else "rasa"
    assert f"127.0.0.1:{PROCESSES[default][1]}{PROCESSES[default][2]}'" in healthcheck
    (command,) = [exec_form(rest) for keyword, rest in steps if keyword == "CMD"]
    assert command == PROCESSES[default][0]
    assert not [rest for keyword, rest in steps if keyword == "ENTRYPOINT"]


@pytest.mark.parametrize("command", [p[0] for p in PROCESSES.values()] + list(JOBS.values()))
def test_every_module_the_deployment_starts_exists(command):
    module = command[command.index("-m") + 1]
    if module == "rasa_sdk":
        import rasa_sdk  # noqa: F401  the app environment's action server
        return
    path = ROOT / module.replace(".", "/")
    assert path.with_suffix(".py").is_file() or (path / "__main__.py").is_file(), module


def test_the_doemee_commands_the_jobs_run_exist():
    from doemee.cli import build_parser

    parser = build_parser("en")
    for command in (["migrate"], ["retention"], ["backup", "/backup/x.bak"], ["geo-fetch"]):
        assert parser.parse_args(command).handler


@pytest.mark.parametrize("image", ["app", "rasa"])
def test_no_secret_is_baked_into_an_image(image):
    for keyword, rest in instructions(image):
        if keyword in ("ENV", "ARG"):
            assert not re.search(r"(PASSWORD|SECRET|TOKEN|DATABASE_URL|STORE_URL)", rest), rest
    ignored = (DEPLOY / f"{image}.Containerfile.dockerignore").read_text().split()
    assert {"var", ".venv", ".venv-rasa", ".git", "models", "build", ".env"} <= set(ignored)
    assert git_ignored("deploy/.env"), "compose's real settings must never reach git"


def test_the_rasa_image_trains_and_tests_its_model_from_the_sources():
    steps = instructions("rasa")
    runs = " ".join(rest for keyword, rest in steps if keyword == "RUN")
    assert "scripts/build_spacy_model.py build/spacy-nl" in runs
    assert "rasa train --fixed-model-name doemee --out models" in runs
    assert "--fail-on-prediction-errors" in runs
    assert "spacy-nl" in yaml.safe_load((ROOT / "config.yml").read_text())["pipeline"][0]["model"]
    copied = [rest for keyword, rest in steps if keyword == "COPY" and "--from=model" in rest]
    assert any("models/doemee.tar.gz" in rest for rest in copied)
    assert any("build/spacy-nl" in rest for rest in copied)


@pytest.mark.parametrize("image", ["app", "rasa"])
def test_geonames_is_fetched_while_building_never_copied_in(image):
    runs = [rest for keyword, rest in instructions(image) if keyword == "RUN"]
    assert any("python -m doemee.cli geo-fetch" in rest for rest in runs)
    assert any("DOEMEE_GEO_DIR=/opt/geonames" in rest for keyword, rest in instructions(image) if keyword == "ENV")
    assert not any("geonames" in rest.lower() for keyword, rest in instructions(image)
                   if keyword == "COPY" and "--from=" not in rest)
