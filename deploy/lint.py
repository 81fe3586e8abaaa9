"""`make deploy-lint`: check the image and deployment files without a container engine or a cluster.

- Containerfile: hadolint finds nothing.
- compose.yaml: valid against the Compose specification's schema (check-jsonschema carries a copy), and
  podman-compose renders it (variables, anchors and merges resolved).
- deploy/kubernetes: every resource file, and what kustomize makes of the base, the example overlay and the
  overlay with the ingress component, validate against the Kubernetes schemas of the oldest and newest
  versions named below (kubernetes-validate, offline, strict: no unknown field passes); HTTPRoutes against
  the Gateway API's schema (deploy/httproute-schema.mjs). What kustomize renders must keep what
  docs/deploy.md promises: the pods' probes, resources and locked-down security context, and labels that let
  the migration Job be applied before the app.

Rendering needs `kubectl kustomize` (kubectl is on the CI machine); without kubectl only the files are
checked, and the script says so. Exits 1 on any problem.
"""

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import kubernetes_validate
import yaml

ROOT = Path(__file__).resolve().parent.parent
KUBERNETES = ROOT / "deploy" / "kubernetes"
KUBERNETES_VERSIONS = ["1.30", "1.37"]
BIN = Path(sys.executable).parent
GATEWAY_API = "gateway.networking.k8s.io/"

problems = []


def report(ok, what, detail=""):
    print(f"{'ok   ' if ok else 'ERROR'} {what}{': ' + detail if detail else ''}")
    if not ok:
        problems.append(what)


def run(command, **kwargs):
    return subprocess.run(command, capture_output=True, text=True, cwd=ROOT, **kwargs)


def check_containerfile():
    result = run([str(BIN / "hadolint"), "--no-color", "Containerfile"])
    report(result.returncode == 0 and not result.stdout.strip(), "hadolint Containerfile", result.stdout.strip())


def check_compose():
    result = run([str(BIN / "check-jsonschema"), "--builtin-schema", "vendor.compose-spec", "compose.yaml"])
    report(result.returncode == 0, "compose.yaml against the Compose specification", result.stdout.strip())
    # podman-compose needs no podman for --dry-run config; SECRET_KEY is the one variable without a default.
    environment = {**os.environ, "SECRET_KEY": "lint"}
    result = run([str(BIN / "podman-compose"), "--dry-run", "config"], env=environment)
    rendered = yaml.safe_load(result.stdout) if result.returncode == 0 else None
    services = sorted((rendered or {}).get("services", {}))
    report(
        services == ["db", "migrate", "redis", "web"],
        "podman-compose renders compose.yaml",
        ", ".join(services) or result.stderr.strip()[-500:],
    )


def validate_resources(source, resources):
    """Every resource against the Kubernetes schemas; Gateway API ones are returned for the Gateway check."""
    gateway = []
    for resource in resources:
        name = f"{resource['kind'].lower()}/{resource['metadata']['name']}"
        if resource["apiVersion"].startswith(GATEWAY_API):
            gateway.append({"source": source, "resource": resource})
            continue
        for version in KUBERNETES_VERSIONS:
            try:
                kubernetes_validate.validate(resource, version, strict=True)
            except kubernetes_validate.ValidationError as error:
                path = ".".join(str(item) for item in error.path)
                report(False, f"{source}: {name} (Kubernetes {version})", f"{path}: {error.message}")
                break
            except (kubernetes_validate.SchemaNotFoundError, kubernetes_validate.InvalidSchemaError) as error:
                report(False, f"{source}: {name} (Kubernetes {version})", error.message)
                break
        else:
            report(True, f"{source}: {name} (Kubernetes {', '.join(KUBERNETES_VERSIONS)})")
    return gateway


def check_gateway_resources(gateway):
    script = ROOT / "deploy" / "httproute-schema.mjs"
    if not shutil.which("node") or not (ROOT / "node_modules" / "@kubernetes-models" / "gateway-api").is_dir():
        report(False, "HTTPRoute against the Gateway API schema", "needs node and `npm ci` (package.json)")
        return
    result = run(["node", str(script)], input=json.dumps(gateway))
    print(result.stdout.rstrip())
    if result.returncode != 0:
        problems.append("Gateway API resources")
        print(result.stderr.rstrip())


def render(label, kustomization_dir):
    result = run(["kubectl", "kustomize", str(kustomization_dir)])
    if result.returncode != 0:
        report(False, label, result.stderr.strip())
        return []
    return [resource for resource in yaml.safe_load_all(result.stdout) if resource]


def check_pods(source, resources):
    """What docs/deploy.md promises about the pods, in what kustomize renders."""
    for resource in resources:
        if resource["kind"] not in {"Deployment", "Job"}:
            continue
        name = f"{resource['kind'].lower()}/{resource['metadata']['name']}"
        pod = resource["spec"]["template"]["spec"]
        missing = []
        if not pod.get("securityContext", {}).get("runAsNonRoot"):
            missing.append("runAsNonRoot")
        for container in pod["containers"]:
            security = container.get("securityContext", {})
            if security.get("readOnlyRootFilesystem") is not True:
                missing.append(f"{container['name']}: readOnlyRootFilesystem")
            if security.get("allowPrivilegeEscalation") is not False:
                missing.append(f"{container['name']}: allowPrivilegeEscalation false")
            if security.get("capabilities", {}).get("drop") != ["ALL"]:
                missing.append(f"{container['name']}: drop ALL capabilities")
            if not container.get("resources", {}).get("requests"):
                missing.append(f"{container['name']}: resource requests")
            if resource["kind"] == "Deployment":
                for probe, path in (("livenessProbe", "/healthz"), ("readinessProbe", "/readyz")):
                    if container.get(probe, {}).get("httpGet", {}).get("path") != path:
                        missing.append(f"{container['name']}: {probe} on {path}")
        report(not missing, f"{source}: {name} pod settings", ", ".join(missing))


def check_release_order(source, resources):
    """docs/deploy.md applies everything not labelled component=web first (settings and the migration Job),
    waits for the Job, then the rest: the app must be all on the second side, what the Job needs on the first."""
    web = {
        resource["kind"]
        for resource in resources
        if resource["metadata"].get("labels", {}).get("app.kubernetes.io/component") == "web"
    }
    first = {resource["kind"] for resource in resources} - web
    wrong = sorted({"Deployment", "Service"} - web) + sorted({"Job", "ConfigMap", "Secret"} - first)
    report(not wrong, f"{source}: the migration Job can be applied before the app", ", ".join(wrong))


def check_kubernetes():
    gateway = []
    for path in sorted(KUBERNETES.rglob("*.yaml")):
        if path.name == "kustomization.yaml":
            continue
        resources = [resource for resource in yaml.safe_load_all(path.read_text()) if resource]
        gateway += validate_resources(str(path.relative_to(ROOT)), resources)

    if not shutil.which("kubectl"):
        print("skipped rendering with kustomize: kubectl is not installed (the files alone were checked)")
    else:
        with tempfile.TemporaryDirectory() as folder:
            # The example overlay with the ingress component instead of the HTTPRoute.
            # (kustomize takes relative paths only.)
            ingress_variant = Path(folder)
            (ingress_variant / "kustomization.yaml").write_text(
                "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n"
                f"resources:\n  - {os.path.relpath(KUBERNETES / 'overlays' / 'example', folder)}\n"
                f"components:\n  - {os.path.relpath(KUBERNETES / 'components' / 'ingress', folder)}\n"
            )
            variants = [
                ("kustomize base", KUBERNETES / "base"),
                ("kustomize overlays/example", KUBERNETES / "overlays" / "example"),
                ("kustomize overlays/example + components/ingress", ingress_variant),
            ]
            for label, directory in variants:
                resources = render(label, directory)
                kinds = {resource["kind"] for resource in resources}
                gateway += validate_resources(label, resources)
                check_pods(label, resources)
                check_release_order(label, resources)
                if directory == ingress_variant:
                    report("Ingress" in kinds and "HTTPRoute" not in kinds, f"{label}: an Ingress, no HTTPRoute")
    check_gateway_resources(gateway)


def main():
    check_containerfile()
    check_compose()
    check_kubernetes()
    if problems:
        print(f"\n{len(problems)} problem(s)")
        sys.exit(1)
    print("\nThe image and deployment files are valid.")


if __name__ == "__main__":
    main()
