#!/usr/bin/env bash
# `make image-check`: build the container image from Containerfile and run it as production would.
#
# No container registry is needed: the base image is made here from Debian's packages (debootstrap into a
# folder, imported with buildah; Debian 13, whose Python 3.13 the requirements accept) and passed as the
# BASE_IMAGE build argument. It is kept between runs, so only the first run pays for it. Containers are
# built and run with buildah's chroot isolation, which shares this machine's network, so the image reaches
# the local PostgreSQL and Redis.
#
# In the image, as its non-root user and with production settings (DEBUG off): `check --deploy`, `migrate`
# and `import_content` on a fresh database (the release step), then gunicorn with config/gunicorn.py.
# /readyz, an article page in each language and a static file must answer 200, every line gunicorn writes
# must be JSON on stdout, a value cached through REDIS_URL must reach Redis, SIGTERM must stop gunicorn
# cleanly within its graceful timeout (30 s), and nothing may have been written inside the container.
#
# Skipped, with the reason, where buildah or debootstrap is missing or without root. Settings:
# IMAGE_CHECK_PORT (8101), IMAGE_CHECK_REDIS (redis://127.0.0.1:6379/9), IMAGE_CHECK_DATABASE
# (postgres://postgres@127.0.0.1:5432/infralearn_image_check, dropped and created again).
set -euo pipefail
cd "$(dirname "$0")/.."

PORT=${IMAGE_CHECK_PORT:-8101}
DATABASE_URL=${IMAGE_CHECK_DATABASE:-postgres://postgres@127.0.0.1:5432/infralearn_image_check}
REDIS_URL=${IMAGE_CHECK_REDIS:-redis://127.0.0.1:6379/9}
IMAGE=localhost/infralearn:check
SUITE=trixie
BASE_PACKAGES=python3,python3-venv,ca-certificates,tzdata
# The base's tag changes with its recipe, so a changed recipe builds a new base instead of reusing the old.
BASE_IMAGE=localhost/infralearn-base:$SUITE-$(printf '%s' "$SUITE $BASE_PACKAGES" | sha256sum | cut -c1-12)
BUILDAH=(buildah --log-level=error)
PY=${PY:-.venv/bin/python}

started=$SECONDS
phase_started=$SECONDS
phase() {
  printf '[image-check] %-52s (%ds)\n' "$1" $((SECONDS - phase_started))
  phase_started=$SECONDS
}
fail() {
  echo "[image-check] FAILED: $*" >&2
  exit 1
}
# Any other command that fails stops the check: say which.
trap 'echo "[image-check] FAILED: line $LINENO: $BASH_COMMAND" >&2' ERR

for tool in buildah debootstrap; do
  if ! command -v "$tool" >/dev/null; then
    echo "[image-check] skipped: $tool is not installed (apt-get install buildah debootstrap)"
    exit 0
  fi
done
if [ "$(id -u)" -ne 0 ]; then
  echo "[image-check] skipped: debootstrap and buildah's chroot isolation need root"
  exit 0
fi

work=$(mktemp -d)
ctr=""
server=""
cleanup() {
  if [ -n "$server" ] && kill -0 "$server" 2>/dev/null; then kill "$server" 2>/dev/null || true; fi
  if [ -n "$ctr" ]; then "${BUILDAH[@]}" rm "$ctr" >/dev/null 2>&1 || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

# 1. The base image: Debian with Python, made once and kept.
if [ -z "$("${BUILDAH[@]}" images --quiet "$BASE_IMAGE" 2>/dev/null)" ]; then
  echo "[image-check] making the base image $BASE_IMAGE with debootstrap (once; a few minutes)"
  debootstrap --variant=minbase --include="$BASE_PACKAGES" "$SUITE" "$work/rootfs" >"$work/debootstrap.log" 2>&1 ||
    { tail -20 "$work/debootstrap.log"; fail "debootstrap $SUITE"; }
  rm -rf "$work"/rootfs/var/cache/apt/archives/*.deb "$work"/rootfs/var/lib/apt/lists/*
  # Trust the certificate authorities this machine trusts, so that pip in the build reaches PyPI through
  # whatever proxy this machine uses.
  cp /etc/ssl/certs/ca-certificates.crt "$work/rootfs/etc/ssl/certs/ca-certificates.crt"
  tar --numeric-owner -C "$work/rootfs" -cf "$work/rootfs.tar" .
  rm -rf "$work/rootfs"
  base=$("${BUILDAH[@]}" from scratch)
  "${BUILDAH[@]}" add "$base" "$work/rootfs.tar" / >/dev/null
  "${BUILDAH[@]}" config --env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    --env LANG=C.UTF-8 --cmd '["python3"]' "$base"
  "${BUILDAH[@]}" commit --quiet --rm "$base" "$BASE_IMAGE" >/dev/null
  rm -f "$work/rootfs.tar"
  phase "base image made"
else
  phase "base image $BASE_IMAGE already here"
fi

# 2. The image, from Containerfile; unchanged layers (the Python packages) come from the cache.
previous=$("${BUILDAH[@]}" images --quiet "$IMAGE" 2>/dev/null || true)
"${BUILDAH[@]}" build --isolation chroot --layers --force-rm --pull=never --build-arg "BASE_IMAGE=$BASE_IMAGE" --tag "$IMAGE" \
  --file Containerfile . >"$work/build.log" 2>&1 || { tail -40 "$work/build.log"; fail "the image did not build"; }
current=$("${BUILDAH[@]}" images --quiet "$IMAGE")
if [ -n "$previous" ] && [ "$previous" != "$current" ]; then
  "${BUILDAH[@]}" rmi "$previous" >/dev/null 2>&1 || true
fi
phase "image $IMAGE built"

# 3. A fresh database, and the release step in the image.
db_name=${DATABASE_URL##*/}
server_url=${DATABASE_URL%/*}
PGOPTIONS="-c client_min_messages=warning" psql -q -X -v ON_ERROR_STOP=1 "$server_url/postgres" -c "DROP DATABASE IF EXISTS \"$db_name\"" \
  -c "CREATE DATABASE \"$db_name\"" >/dev/null || fail "cannot create $db_name at $server_url"
secret_key=$(head -c 48 /dev/urandom | base64 | tr -d '/+=\n')
ctr=$("${BUILDAH[@]}" from --pull=never "$IMAGE")
mountpoint=$("${BUILDAH[@]}" mount "$ctr")
touch "$work/before-run"
sleep 1
run_in_image() {
  "${BUILDAH[@]}" run --isolation chroot \
    --env DEBUG=0 --env SECRET_KEY="$secret_key" --env ALLOWED_HOSTS=learn.example.org \
    --env DATABASE_URL="$DATABASE_URL" --env REDIS_URL="$REDIS_URL" \
    --env BIND="127.0.0.1:$PORT" --env WEB_CONCURRENCY=2 \
    "$ctr" -- "$@"
}
[ "$(run_in_image id -u)" = 10001 ] || fail "the image does not run as its non-root user (uid 10001)"
run_in_image python manage.py check --deploy --fail-level WARNING >"$work/check.log" 2>&1 ||
  { cat "$work/check.log"; fail "manage.py check --deploy"; }
run_in_image python manage.py migrate --noinput >"$work/migrate.log" 2>&1 || { tail -20 "$work/migrate.log"; fail "migrate"; }
run_in_image python manage.py import_content content/ >"$work/import.log" 2>&1 ||
  { tail -20 "$work/import.log"; fail "import_content"; }
phase "check --deploy, migrate and import_content ran"

# 4. REDIS_URL reaches Redis: a value the image caches is in Redis under the app's key prefix.
nonce=$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')
run_in_image python manage.py shell -c \
  "from django.core.cache import cache; cache.set('image-check', '$nonce', 60)" >/dev/null 2>&1 ||
  fail "the image could not write to the cache at $REDIS_URL"
redis_db=${REDIS_URL##*/}
redis_hostport=${REDIS_URL#redis://}
redis_hostport=${redis_hostport%%/*}
cached=$("$PY" - "$redis_hostport" "$redis_db" <<'PY' 2>/dev/null || true
import pickle
import sys

import redis

host, port = sys.argv[1].rsplit(":", 1)
value = redis.Redis(host=host, port=int(port), db=int(sys.argv[2])).get("infralearn:1:image-check")
print(pickle.loads(value) if value else "")
PY
)
[ "$cached" = "$nonce" ] || fail "the value cached in the image was not found in Redis ($REDIS_URL)"
phase "the cache is Redis"

# 5. gunicorn, as the image's default command.
cmd=$("${BUILDAH[@]}" inspect --type container --format '{{.OCIv1.Config.Cmd}}' "$ctr")
[ "$cmd" = '[gunicorn --config config/gunicorn.py config.wsgi]' ] || fail "unexpected default command $cmd"
if curl -s -o /dev/null "http://127.0.0.1:$PORT/"; then
  fail "something already answers on port $PORT (IMAGE_CHECK_PORT chooses another)"
fi
run_in_image gunicorn --config config/gunicorn.py config.wsgi >"$work/gunicorn.log" 2>"$work/gunicorn.err" &
server=$!
for _ in $(seq 100); do
  curl -fs -o /dev/null "http://127.0.0.1:$PORT/healthz" && break
  kill -0 "$server" 2>/dev/null || { cat "$work/gunicorn.log" "$work/gunicorn.err"; fail "gunicorn exited at start"; }
  sleep 0.2
done
phase "gunicorn answers /healthz"

status() { curl -s -o "$work/body" -w '%{http_code}' -H 'X-Forwarded-Proto: https' -H 'Host: learn.example.org' \
  "http://127.0.0.1:$PORT$1"; }
slug=$(find content/articles -mindepth 1 -maxdepth 1 -type d -printf '%f\n' | sort | sed -n 1p)
for path in /readyz "/en/articles/$slug/" "/zh-hant/articles/$slug/"; do
  code=$(status "$path")
  [ "$code" = 200 ] || { head -c 2000 "$work/body"; cat "$work/gunicorn.log"; fail "GET $path answered $code"; }
  echo "[image-check]   GET $path -> $code"
done
grep -q '文章' "$work/body" || fail "the Chinese page is not translated (compiled messages missing?)"
css=$(grep -o '/static/css/site\.[0-9a-f]*\.css' "$work/body" | sed -n 1p || true)
[ -n "$css" ] || fail "the page links no hashed stylesheet (static files not collected at build time?)"
code=$(status "$css")
[ "$code" = 200 ] || fail "GET $css answered $code"
echo "[image-check]   GET $css -> $code"
phase "pages, probes and static files answer 200"

# 6. SIGTERM to gunicorn's master (PID 1 in a container, where the runtime sends it) stops it cleanly.
master=$("$PY" -c '
import json, re, sys
for line in open(sys.argv[1]):
    match = re.search(r"Listening at: \S+ \((\d+)\)", json.loads(line)["message"])
    if match:
        print(match.group(1))
        break
' "$work/gunicorn.log")
[ -n "$master" ] || fail "gunicorn's master process id not found in its log"
stop_started=$(date +%s%N)
kill -TERM "$master"
for _ in $(seq 350); do
  kill -0 "$server" 2>/dev/null || break
  sleep 0.1
done
kill -0 "$server" 2>/dev/null && fail "gunicorn still runs 35 s after SIGTERM (graceful timeout: 30 s)"
exit_code=0
wait "$server" || exit_code=$?
server=""
stop_ms=$((($(date +%s%N) - stop_started) / 1000000))
[ "$exit_code" = 0 ] || { tail -20 "$work/gunicorn.log"; fail "gunicorn exited with $exit_code on SIGTERM"; }
grep -q 'Shutting down: Master' "$work/gunicorn.log" || fail "gunicorn did not say it shut down"
phase "SIGTERM: gunicorn stopped cleanly in ${stop_ms} ms"

# 7. gunicorn and the app write only on stdout, and every line is a JSON object.
if [ -s "$work/gunicorn.err" ]; then
  head -20 "$work/gunicorn.err"
  fail "gunicorn wrote on stderr"
fi
"$PY" - "$work/gunicorn.log" <<'PY' || fail "gunicorn wrote lines that are not JSON"
import json
import sys

lines = [line for line in open(sys.argv[1], encoding="utf-8") if line.strip()]
bad = []
for line in lines:
    try:
        if not isinstance(json.loads(line), dict):
            bad.append(line)
    except ValueError:
        bad.append(line)
for line in bad[:10]:
    print("not JSON:", line.rstrip())
print(f"[image-check]   {len(lines)} log lines, {len(lines) - len(bad)} JSON objects")
sys.exit(1 if bad or not lines else 0)
PY

# 8. Nothing was written inside the container: the image runs as well with a read-only root filesystem.
# (buildah run itself touches the /run folder, where it puts and removes its own marker, so that folder's
# time alone is not counted; anything written in it is.)
written=$(find "$mountpoint" -xdev -newer "$work/before-run" -not -path "$mountpoint" -not -path "$mountpoint/run" \
  -print 2>/dev/null |
  sed "s|^$mountpoint||" || true)
if [ -n "$written" ]; then
  echo "$written" | head -20
  fail "files were written inside the container at run time"
fi
phase "nothing was written inside the container"

psql -q -X "$server_url/postgres" -c "DROP DATABASE IF EXISTS \"$db_name\"" >/dev/null || true
echo "[image-check] passed in $((SECONDS - started))s"
