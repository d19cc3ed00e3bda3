#!/usr/bin/env bash
# make-busybox-image.sh OUT.tar [TAG]
#
# Builds a small busybox image from Debian's busybox-static, without any registry:
#   OUT.tar          a docker-archive ("docker save" layout: manifest.json, <config>.json,
#                    <layer>/layer.tar, repositories) that `docker load` / `berth load` accept;
#   OUT.rootfs.tar   the same root filesystem as a plain tar, for `docker import`.
# The image: /bin/busybox with a symlink per applet, /etc/passwd and /etc/group (root, nobody),
# /tmp, /root, /var/www/index.html; Env PATH, Cmd ["sh"]. Output is deterministic (fixed mtimes).
set -euo pipefail
out="${1:?usage: make-busybox-image.sh OUT.tar [TAG]}"
tag="${2:-busybox:latest}"
[[ "$tag" == *:* ]] || tag="$tag:latest"
bb=/bin/busybox
if [[ ! -x "$bb" ]] || ! "$bb" --list-full >/dev/null 2>&1; then
  echo "make-busybox-image: $bb missing; install Debian's busybox-static (scripts/setup.sh does)" >&2
  exit 1
fi
out="$(readlink -f "$out")"
work="$(mktemp -d /tmp/berth-bbimg.XXXXXX)"
trap 'rm -rf "$work"' EXIT
root="$work/rootfs"
mkdir -p "$root"/{bin,sbin,usr/bin,usr/sbin,etc,tmp,root,var/www,home,proc,sys,dev}
chmod 1777 "$root/tmp"
chmod 700 "$root/root"
cp "$bb" "$root/bin/busybox"
chmod 755 "$root/bin/busybox"
while read -r applet; do
  [[ "$applet" == "bin/busybox" ]] && continue
  mkdir -p "$root/$(dirname "$applet")"
  ln -sf /bin/busybox "$root/$applet"
done < <("$bb" --list-full)
cat > "$root/etc/passwd" <<'PW'
root:x:0:0:root:/root:/bin/sh
nobody:x:65534:65534:nobody:/nonexistent:/bin/false
PW
cat > "$root/etc/group" <<'GR'
root:x:0:
nobody:x:65534:
GR
echo "hello from berth busybox" > "$root/var/www/index.html"
touch -h -d @0 $(find "$root")

# Plain rootfs tar (for import).
tarflags=(--sort=name --owner=0 --group=0 --numeric-owner --mtime=@0 --format=posix
          --pax-option=exthdr.name=%d/PaxHeaders/%f,delete=atime,delete=ctime)
(cd "$root" && tar "${tarflags[@]}" -cf "${out%.tar}.rootfs.tar" $(ls -A))

# docker-archive.
arch="$work/archive"
mkdir -p "$arch"
layer_sha="$(sha256sum "${out%.tar}.rootfs.tar" | cut -d' ' -f1)"
mkdir -p "$arch/$layer_sha"
cp "${out%.tar}.rootfs.tar" "$arch/$layer_sha/layer.tar"
echo "1.0" > "$arch/$layer_sha/VERSION"
created="1970-01-01T00:00:00Z"
cat > "$work/config.json" <<CFG
{"architecture":"amd64","os":"linux","created":"$created","config":{"Env":["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"],"Cmd":["sh"]},"rootfs":{"type":"layers","diff_ids":["sha256:$layer_sha"]},"history":[{"created":"$created","created_by":"scripts/make-busybox-image.sh (Debian busybox-static)"},{"created":"$created","created_by":"CMD [\"sh\"]","empty_layer":true}]}
CFG
config_sha="$(sha256sum "$work/config.json" | cut -d' ' -f1)"
cp "$work/config.json" "$arch/$config_sha.json"
echo "{\"id\":\"$layer_sha\",\"created\":\"$created\",\"config\":{}}" > "$arch/$layer_sha/json"
repo="${tag%:*}"; t="${tag##*:}"
printf '[{"Config":"%s.json","RepoTags":["%s"],"Layers":["%s/layer.tar"]}]\n' "$config_sha" "$tag" "$layer_sha" > "$arch/manifest.json"
printf '{"%s":{"%s":"%s"}}\n' "$repo" "$t" "$layer_sha" > "$arch/repositories"
(cd "$arch" && tar "${tarflags[@]}" -cf "$out" manifest.json repositories "$config_sha.json" "$layer_sha")
echo "image $tag: id sha256:$config_sha"
echo "  docker-archive: $out"
echo "  rootfs tar:     ${out%.tar}.rootfs.tar"
