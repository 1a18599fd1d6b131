#!/usr/bin/env bash
# Install a built Landscape Explorer bundle for the current user; no root, no Python needed.
#
#   packaging/linux/install.sh                   # from the source tree, after packaging/build-bundle
#   landscape-explorer/install.sh                # from an unpacked tarball (or the bundle folder)
#   install.sh --bundle landscape-explorer-0.1.0-linux-x86_64.tar.gz
#
# Puts the program in PREFIX/opt/landscape-explorer, a link PREFIX/bin/landscape-explorer, and, when the
# bundle carries them, the desktop entry, AppStream metainfo and icon under PREFIX/share (or
# $XDG_DATA_HOME). PREFIX is ~/.local unless --prefix says otherwise.
#
# Options:
#   --prefix DIR        install under DIR instead of ~/.local
#   --bundle DIR|FILE   the bundle folder or a .tar.gz of it (default: this script's folder when it is a
#                       bundle, else dist/landscape-explorer beside packaging/)
#   --uninstall         remove what an earlier install put there
set -euo pipefail

name=landscape-explorer
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
prefix=""
bundle=""
uninstall=0

die() { echo "install.sh: $*" >&2; exit 1; }
while [ $# -gt 0 ]; do
    case "$1" in
        --prefix) [ $# -ge 2 ] || die "--prefix needs a value"; prefix="$2"; shift 2 ;;
        --bundle) [ $# -ge 2 ] || die "--bundle needs a value"; bundle="$2"; shift 2 ;;
        --uninstall) uninstall=1; shift ;;
        -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
        *) die "unknown option '$1' (see --help)" ;;
    esac
done

if [ -n "$prefix" ]; then
    mkdir -p "$prefix" || die "cannot make $prefix"
    prefix="$(cd "$prefix" && pwd)"
    data="$prefix/share"
else
    [ -n "${HOME:-}" ] || die "HOME is not set: give --prefix"
    prefix="$HOME/.local"
    data="${XDG_DATA_HOME:-$HOME/.local/share}"
fi
target="$prefix/opt/$name"
link="$prefix/bin/$name"
manifest="$target/.installed-files"

remove_installed() {  # what the manifest of an earlier install lists, then the program itself
    if [ -f "$manifest" ]; then
        while IFS= read -r file; do
            if [ -n "$file" ]; then
                rm -f -- "$file"
                dir="$(dirname "$file")"   # and the folders it leaves empty, up to PREFIX/share
                while [ "$dir" != "$data" ] && [ "${dir#"$data"/}" != "$dir" ] && rmdir -- "$dir" 2>/dev/null; do
                    dir="$(dirname "$dir")"
                done
            fi
        done < "$manifest"
    fi
    if [ -L "$link" ] && [ "$(readlink "$link")" = "$target/$name" ]; then rm -f -- "$link"; fi
    rm -rf -- "$target"
}

refresh_caches() {
    if command -v update-desktop-database >/dev/null 2>&1 && [ -d "$data/applications" ]; then
        update-desktop-database -q "$data/applications" 2>/dev/null || true
    fi
    if command -v gtk-update-icon-cache >/dev/null 2>&1 && [ -f "$data/icons/hicolor/index.theme" ]; then
        gtk-update-icon-cache -q -t "$data/icons/hicolor" 2>/dev/null || true
    fi
}

if [ "$uninstall" = 1 ]; then
    [ -d "$target" ] || die "nothing installed in $target"
    remove_installed
    refresh_caches
    echo "install.sh: removed $name from $prefix"
    exit 0
fi

# -- which bundle
unpacked=""
cleanup() { if [ -n "$unpacked" ]; then rm -rf -- "$unpacked"; fi; }
trap cleanup EXIT
if [ -z "$bundle" ]; then
    if [ -x "$here/$name" ] && [ -d "$here/_internal" ]; then
        bundle="$here"                                  # inside the bundle or an unpacked tarball
    else
        bundle="$(dirname "$(dirname "$here")")/dist/$name"   # packaging/linux/ in the source tree
    fi
fi
if [ -f "$bundle" ]; then                               # a tarball: unpack it beside the target
    mkdir -p "$prefix/opt"
    unpacked="$(mktemp -d "$prefix/opt/.$name.unpack.XXXXXX")"
    tar -xzf "$bundle" -C "$unpacked" || die "cannot unpack $bundle"
    bundle="$(find "$unpacked" -mindepth 2 -maxdepth 2 -name "$name" -type f -perm -u+x -printf '%h\n' | head -n 1)"
    [ -n "$bundle" ] || die "no $name program in the tarball"
fi
[ -x "$bundle/$name" ] && [ -d "$bundle/_internal" ] ||
    die "no bundle at $bundle: build one with packaging/build-bundle, or give --bundle DIR|FILE.tar.gz"
bundle="$(cd "$bundle" && pwd)"
[ "$bundle" != "$target" ] || die "the bundle is already installed at $target"

# -- the program: copied whole next to the old one, then swapped in
mkdir -p "$prefix/opt" "$prefix/bin"
staging="$(mktemp -d "$prefix/opt/.$name.new.XXXXXX")"
if [ -n "$unpacked" ]; then                              # unpacked beside the target already: move it
    rmdir -- "$staging" && mv -- "$bundle" "$staging"
else
    cp -a "$bundle/." "$staging/" || { rm -rf -- "$staging"; die "cannot copy the bundle to $prefix/opt"; }
fi
chmod 755 "$staging"
if [ -d "$target" ]; then remove_installed; fi
mv -- "$staging" "$target"
ln -sfn "$target/$name" "$link"
: > "$manifest"

# -- desktop entry (its Exec and TryExec point at the link), metainfo, icons
install_file() {  # SOURCE DESTINATION
    mkdir -p "$(dirname "$2")"
    cp -- "$1" "$2"
    chmod 644 "$2"
    echo "$2" >> "$manifest"
}
if [ -d "$target/share/applications" ]; then
    for entry in "$target"/share/applications/*.desktop; do
        [ -f "$entry" ] || continue
        dest="$data/applications/$(basename "$entry")"
        install_file "$entry" "$dest"
        exec_path="$link"   # the desktop entry spec quotes a path with spaces in Exec (not in TryExec)
        case "$link" in *" "*) exec_path="\"$link\"" ;; esac
        sed -i -e "s|^Exec=$name\\b|Exec=$exec_path|" -e "s|^TryExec=$name\$|TryExec=$link|" "$dest"
    done
fi
if [ -d "$target/share/metainfo" ]; then
    for meta in "$target"/share/metainfo/*.xml; do
        if [ -f "$meta" ]; then install_file "$meta" "$data/metainfo/$(basename "$meta")"; fi
    done
fi
if [ -d "$target/share/icons" ]; then
    while IFS= read -r icon; do
        install_file "$icon" "$data/icons/${icon#"$target/share/icons/"}"
    done < <(find "$target/share/icons" -type f \( -name '*.png' -o -name '*.svg' \))
fi
refresh_caches

# -- does this system have what the bundle takes from it, and does it start?
missing=""
if command -v ldd >/dev/null 2>&1; then
    missing="$(LD_LIBRARY_PATH="$target/_internal" ldd "$target/$name" "$target/_internal/libpython3"*.so.* \
        "$target/_internal/PySide6/Qt/plugins/platforms/libqxcb.so" \
        "$target/_internal/PySide6/Qt/plugins/xcbglintegrations/libqxcb-glx-integration.so" 2>&1 |
        awk '/not found/ {print ($1 ~ /^ldd:|:$/ ? $0 : $1)}' | sort -u | tr '\n' ' ')"
fi
if [ -n "$missing" ]; then
    echo "install.sh: this system lacks what the bundle takes from it: $missing" >&2
    echo "install.sh: on Debian/Ubuntu: sudo apt-get install libgl1 libegl1 libgl1-mesa-dri libfontconfig1 libxcb1;" \
         "a 'GLIBC_2.NN not found' means the system is older than the machine the bundle was built on" \
         "(see packaging/README.md)" >&2
fi
"$link" --version >/dev/null || die "the installed program does not start: $link --version failed"
echo "install.sh: installed $("$link" --version) in $target"
menu=""
if grep -q '\.desktop$' "$manifest"; then menu=" or from the applications menu"; fi
echo "install.sh: start it with $link$menu"
case ":${PATH:-}:" in
    *":$prefix/bin:"*) ;;
    *) echo "install.sh: $prefix/bin is not on your PATH; add it (e.g. in ~/.profile) to type just '$name'" ;;
esac
