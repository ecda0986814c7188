"""The deployment files in contrib/: the systemd template unit (one instance per mailbox) and the
Kubernetes manifests (one StatefulSet per mailbox). Checked by the tools that read them
(systemd-analyze, kubernetes-validate, kubectl kustomize where they exist) and by what they must
say: one run per plan, the plan on the mailbox's own volume or folder, probes that ask `mailbot
status`, no root, no secret in the repository."""

from __future__ import annotations

import re
import shutil
import subprocess
import tomllib
from pathlib import Path
from typing import Any

import pytest
import yaml

from mailbot.config import load

ROOT = Path(__file__).resolve().parent.parent
CONTRIB = ROOT / "contrib"
TEMPLATE = CONTRIB / "mailbot@.service"
SINGLE = CONTRIB / "mailbot.service"
K8S = CONTRIB / "k8s"
OVERLAYS = sorted(p.parent for p in (K8S / "overlays").glob("*/kustomization.yaml"))
KUBERNETES_VERSION = "1.32.0"  # the API the manifests are validated against (strict: unknown fields fail)
SECRET_NAMES = {"MAILBOT_IMAP_PASSWORD", "MAILBOT_SMTP_PASSWORD"}  # CONTRACT.md / README "Configuration"
PLACEHOLDER = re.compile(r"^REPLACE-[A-Z-]+$")


# -- systemd ----------------------------------------------------------------------------------


def unit_directives(path: Path) -> dict[str, dict[str, list[str]]]:
    """section → key → values, in order (keys such as SystemCallFilter repeat)."""
    sections: dict[str, dict[str, list[str]]] = {}
    current: dict[str, list[str]] = {}
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith(("#", ";")):
            continue
        if line.startswith("[") and line.endswith("]"):
            current = sections.setdefault(line[1:-1], {})
            continue
        key, _, value = line.partition("=")
        current.setdefault(key.strip(), []).append(value.strip())
    return sections


def test_the_template_unit_verifies_as_an_instance(tmp_path: Path) -> None:
    if shutil.which("systemd-analyze") is None:
        pytest.skip("systemd-analyze is not installed here (Debian package systemd): the template unit was not verified")
    unit = TEMPLATE.read_text(encoding="utf-8")
    binary_path = "/srv/mailbot/.venv/bin/mailbot"
    assert f"ExecStart={binary_path} " in unit
    # verify needs the ExecStart binary to exist: point it at a stand-in in tmp_path
    binary = tmp_path / "mailbot"
    binary.write_text("#!/bin/sh\nexit 0\n")
    binary.chmod(0o755)
    instance = tmp_path / "mailbot@example.service"
    instance.write_text(unit.replace(binary_path, str(binary)), encoding="utf-8")
    done = subprocess.run(["systemd-analyze", "verify", "--man=no", str(instance)], capture_output=True, text=True, timeout=60)
    output = done.stdout + done.stderr
    # Unknown keys, bad values and relative paths are only warnings for verify: any line about our unit fails.
    problems = [line for line in output.splitlines() if "mailbot@example.service" in line]
    assert done.returncode == 0 and not problems, output


def test_the_template_unit_keeps_each_instance_to_its_own_folder() -> None:
    service = unit_directives(TEMPLATE)["Service"]
    exec_start = service["ExecStart"][0].split()
    assert exec_start[0].endswith("/mailbot") and "run" in exec_start
    config = Path(exec_start[exec_start.index("--config") + 1])
    (writable,) = service["ReadWritePaths"]
    assert "%i" in str(config) and "%i" in writable
    # relative paths in mailbot.toml (the plan, the outbox) resolve from its folder: that folder is the writable one
    assert str(config.parent) == writable == service["WorkingDirectory"][0]
    assert unit_directives(TEMPLATE)["Unit"]["AssertPathExists"] == [str(config)]
    (secrets,) = service["EnvironmentFile"]
    assert "%i" in secrets and not secrets.startswith("-"), "each instance has its own, required, secrets file"
    assert not secrets.startswith(writable + "/"), "the service must not be able to rewrite its own secrets"
    assert service["User"] != ["root"] and service["User"]
    assert f"mailbot status --config {config}".replace("%i", "acme") in TEMPLATE.read_text(encoding="utf-8")


def test_the_template_unit_is_sandboxed_as_the_single_unit() -> None:
    single, template = unit_directives(SINGLE)["Service"], unit_directives(TEMPLATE)["Service"]
    per_instance = {"ExecStart", "WorkingDirectory", "ReadWritePaths", "EnvironmentFile"}
    for key, values in single.items():
        if key not in per_instance:
            assert template.get(key) == values, key
    assert single["ReadWritePaths"] == ["/srv/mailbot"], "contrib/mailbot.service is kept as it was"


# -- Kubernetes -------------------------------------------------------------------------------


def documents(path: Path) -> list[dict[str, Any]]:
    return [doc for doc in yaml.safe_load_all(path.read_text(encoding="utf-8")) if doc]


def base_resources() -> list[dict[str, Any]]:
    return [doc for path in sorted((K8S / "base").glob("*.yaml")) for doc in documents(path) if doc["kind"] != "Kustomization"]


def of_kind(resources: list[dict[str, Any]], kind: str) -> list[dict[str, Any]]:
    return [r for r in resources if r["kind"] == kind]


def validate_strictly(resources: list[dict[str, Any]]) -> None:
    try:
        import kubernetes_validate
    except ImportError:
        pytest.fail("kubernetes-validate is missing: pip install -e '.[test]'", pytrace=False)
    for resource in resources:
        try:
            kubernetes_validate.validate(resource, KUBERNETES_VERSION, strict=True)
        except kubernetes_validate.ValidationError as exc:
            path = "/".join(str(p) for p in exc.path)
            pytest.fail(f"{resource['kind']}/{resource['metadata']['name']}: {path}: {exc.message}", pytrace=False)


def kustomize() -> list[str]:
    """The command that renders an overlay: kustomize 4.1 or newer (the `labels` field), in kubectl or alone."""
    for command, version in ((["kubectl", "kustomize"], ["kubectl", "version", "--client"]),
                             (["kustomize", "build"], ["kustomize", "version"])):
        if shutil.which(command[0]):
            said = subprocess.run(version, capture_output=True, text=True, timeout=60).stdout
            found = re.search(r"(?:Kustomize Version: |kustomize/|^)v(\d+)\.(\d+)", said, re.M)
            if found and (int(found[1]), int(found[2])) >= (4, 1):
                return command
    pytest.skip("no kustomize 4.1 or newer here (kubectl 1.21+ or kustomize): the overlays were not rendered")


def render(overlay: Path, tmp_path: Path) -> list[dict[str, Any]]:
    """The resources of `overlay`, rendered from a copy with its secrets.env made from the placeholders file."""
    command = kustomize()
    copy = tmp_path / "k8s"
    shutil.copytree(K8S, copy, ignore=shutil.ignore_patterns("secrets.env"))
    folder = copy / overlay.relative_to(K8S)
    shutil.copy(folder / "secrets.env.example", folder / "secrets.env")
    done = subprocess.run([*command, str(folder)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return [doc for doc in yaml.safe_load_all(done.stdout) if doc]


def mebibytes(quantity: str) -> float:
    units = {"Ki": 2**10, "Mi": 2**20, "Gi": 2**30, "K": 10**3, "M": 10**6, "G": 10**9}
    number, unit = re.fullmatch(r"(\d+(?:\.\d+)?)([KMG]i?)?", str(quantity)).groups()  # type: ignore[union-attr]
    return float(number) * units.get(unit or "", 1) / 2**20


def check_statefulset(sts: dict[str, Any], services: list[dict[str, Any]], overlay: Path) -> None:
    """What one mailbox's StatefulSet must say, with the configuration of `overlay`."""
    name = sts["metadata"]["name"]
    spec = sts["spec"]
    assert spec["replicas"] == 1, f"{name}: one `mailbot run` per plan"
    pod = spec["template"]["spec"]
    (container,) = pod["containers"]
    run = container["command"] + container["args"]
    assert run[0] == "mailbot" and "run" in run, run
    config_path = Path(run[run.index("--config") + 1])

    # the configuration: a ConfigMap, mounted where --config reads it, holding the overlay's mailbot.toml
    mounts = {m["name"]: m for m in container["volumeMounts"]}
    volumes = {v["name"]: v for v in pod["volumes"]}
    (config_mount,) = [m for m in mounts.values() if m["mountPath"] == str(config_path.parent)]
    assert config_mount.get("readOnly") is True and "configMap" in volumes[config_mount["name"]]
    kustomization = yaml.safe_load((overlay / "kustomization.yaml").read_text(encoding="utf-8"))
    (generator,) = kustomization["configMapGenerator"]
    assert generator["files"] == [config_path.name]
    assert volumes[config_mount["name"]]["configMap"]["name"].startswith(generator["name"])
    settings = load(overlay / config_path.name, env={})

    # the plan and the outbox on the mailbox's own volume (a volumeClaimTemplate), not the read-only root
    claims = {t["metadata"]["name"] for t in spec["volumeClaimTemplates"]}
    (data_mount,) = [m for m in mounts.values() if m["name"] in claims]
    assert data_mount["name"] not in volumes and not data_mount.get("readOnly")
    for kept in (settings.store_path, settings.outbox.maildir):
        assert kept.is_absolute() and kept.is_relative_to(data_mount["mountPath"]), f"{kept} is not on the volume {data_mount['mountPath']}"
    assert spec["persistentVolumeClaimRetentionPolicy"]["whenDeleted"] == "Retain"

    # health: `mailbot status` on the same configuration (exit 0 healthy, anything else not)
    for probe in ("startupProbe", "livenessProbe", "readinessProbe"):
        assert container[probe]["exec"]["command"] == ["mailbot", "status", "--config", str(config_path)], probe
        assert container[probe]["timeoutSeconds"] >= 5, "status takes about half a second, more on a busy node"
        assert container[probe]["failureThreshold"] >= 2, "one slow answer is no verdict"
    startup = container["startupProbe"]
    assert startup["periodSeconds"] * startup["failureThreshold"] >= 60, "a minute at least to open the plan and take its lock"

    # no root, nothing writable but the volume and /tmp, no capabilities
    assert pod["securityContext"]["runAsNonRoot"] is True and pod["securityContext"]["runAsUser"] != 0
    security = container["securityContext"]
    assert security["runAsNonRoot"] is True and security["readOnlyRootFilesystem"] is True
    assert security["allowPrivilegeEscalation"] is False and security["capabilities"]["drop"] == ["ALL"]
    assert pod["automountServiceAccountToken"] is False

    # the request is the 300 MB budget (about 150 MB measured); the limit leaves room for a large attachment
    resources = container["resources"]
    request, limit = mebibytes(resources["requests"]["memory"]), mebibytes(resources["limits"]["memory"])
    assert 256 <= request <= 320 and 512 <= limit <= 1024, (request, limit)
    assert "cpu" in resources["requests"]

    # the passwords: from a Secret, under the names mailbot reads, never a literal value
    env = {e["name"]: e for e in container["env"]}
    assert SECRET_NAMES <= set(env)
    for variable in env.values():
        if "PASSWORD" in variable["name"]:
            assert "value" not in variable and variable["valueFrom"]["secretKeyRef"]["key"] == variable["name"], variable
    (secret_generator,) = kustomization["secretGenerator"]
    assert "literals" not in secret_generator and secret_generator["envs"] == ["secrets.env"]
    for variable in SECRET_NAMES:
        assert env[variable]["valueFrom"]["secretKeyRef"]["name"].startswith(secret_generator["name"])

    # the headless Service it names, selecting this pod
    (service,) = [s for s in services if s["metadata"]["name"] == spec["serviceName"]]
    assert service["spec"]["clusterIP"] == "None"
    labels = spec["template"]["metadata"]["labels"]
    assert spec["selector"]["matchLabels"] == service["spec"]["selector"]
    assert all(labels.get(k) == v for k, v in service["spec"]["selector"].items())


def test_every_manifest_is_valid_kubernetes() -> None:
    resources = base_resources()
    assert {r["kind"] for r in resources} == {"StatefulSet", "Service"}
    validate_strictly(resources)


def test_the_base_statefulset_is_one_mailbox_done_right() -> None:
    assert OVERLAYS, "an example overlay for one mailbox"
    resources = base_resources()
    for overlay in OVERLAYS:
        for sts in of_kind(resources, "StatefulSet"):
            check_statefulset(sts, of_kind(resources, "Service"), overlay)


@pytest.mark.parametrize("overlay", OVERLAYS, ids=[p.name for p in OVERLAYS])
def test_an_overlay_renders_to_one_valid_mailbox(overlay: Path, tmp_path: Path) -> None:
    resources = render(overlay, tmp_path)
    validate_strictly(resources)
    (sts,) = of_kind(resources, "StatefulSet")
    check_statefulset(sts, of_kind(resources, "Service"), overlay)
    suffix = yaml.safe_load((overlay / "kustomization.yaml").read_text(encoding="utf-8"))["nameSuffix"]
    assert all(r["metadata"]["name"].startswith("mailbot") and suffix in r["metadata"]["name"] for r in resources)
    # the generated ConfigMap and Secret are the ones the pod uses; the ConfigMap holds the overlay's file
    pod = sts["spec"]["template"]["spec"]
    (config_map,) = of_kind(resources, "ConfigMap")
    assert {v["name"]: v for v in pod["volumes"]}["config"]["configMap"]["name"] == config_map["metadata"]["name"]
    assert config_map["data"]["mailbot.toml"] == (overlay / "mailbot.toml").read_text(encoding="utf-8")
    (secret,) = of_kind(resources, "Secret")
    refs = {e["valueFrom"]["secretKeyRef"]["name"] for e in pod["containers"][0]["env"] if "valueFrom" in e}
    assert refs == {secret["metadata"]["name"]} and set(secret["data"]) == SECRET_NAMES
    # one mailbox's StatefulSet and Service select its own pod only, never another mailbox's
    instance = sts["spec"]["selector"]["matchLabels"].get("app.kubernetes.io/instance")
    assert instance and instance in suffix


def test_no_secret_value_is_in_the_repository() -> None:
    for path in sorted(K8S.rglob("*")):
        if not path.is_file() or path.name == "secrets.env":  # secrets.env is the operator's own, ignored by git
            continue
        if path.suffix == ".yaml":
            for doc in documents(path):
                assert doc.get("kind") != "Secret", f"{path}: a Secret with values in the repository"
                for generator in doc.get("secretGenerator", []):
                    assert "literals" not in generator, f"{path}: secret literals in the repository"
        if path.suffix == ".toml":
            data = tomllib.loads(path.read_text(encoding="utf-8"))
            for section in ("imap", "smtp"):
                assert "password" not in data.get(section, {}), f"{path}: [{section}] password belongs in the Secret"
    for example in sorted(K8S.rglob("secrets.env.example")):
        pairs = [line.split("=", 1) for line in example.read_text(encoding="utf-8").splitlines() if line and not line.startswith("#")]
        assert {k for k, _ in pairs} == SECRET_NAMES
        assert all(PLACEHOLDER.match(v) for _, v in pairs), f"{example}: placeholders only"
    if shutil.which("git") and (ROOT / ".git").exists():
        for overlay in OVERLAYS:
            ignored = subprocess.run(["git", "check-ignore", "-q", str(overlay / "secrets.env")], cwd=ROOT, timeout=30)
            assert ignored.returncode == 0, f"{overlay}/secrets.env must be ignored by git"
