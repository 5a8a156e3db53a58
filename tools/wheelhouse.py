"""An offline install bundle: every wheel appreciate needs (with the encryption extra) for one
platform and one Python, in one folder with an INSTALL.txt, to carry on a USB stick into a secure
room or onto a managed laptop that has no internet.

    python tools/wheelhouse.py [--platform win_amd64|macosx_11_0_arm64|manylinux_2_28_x86_64]
                               [--python 3.11|3.12|3.13] [--out DIR]

Without --platform the bundle is for this machine, without --python for the Python running this.
Only wheels go in (`--only-binary=:all:`): a dependency published only as source would need a
compiler on the laptop, so it stops the bundle, and pip's message names it.

pip judges a dependency's environment markers (`colorama; platform_system == "Windows"`) by the
machine it runs on, not by the one the bundle is for. So once pip has downloaded, every wheel's
requirements are read again with the target's markers, and whatever the target needs that is not
in the folder yet is fetched too, until nothing is missing: the folder installs with
`--no-index`, which nothing else proves before the laptop is in the room.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import sysconfig
import tomllib
import zipfile
from email.parser import Parser
from pathlib import Path

try:
    from packaging.markers import default_environment
    from packaging.requirements import Requirement
    from packaging.utils import canonicalize_name, parse_wheel_filename
except ImportError:  # pip is needed anyway, and carries its own copy
    from pip._vendor.packaging.markers import default_environment
    from pip._vendor.packaging.requirements import Requirement
    from pip._vendor.packaging.utils import canonicalize_name, parse_wheel_filename

ROOT = Path(__file__).resolve().parents[1]
PROJECT = "appreciate-tui"
EXTRA = "encryption"
# Wheels built for an older glibc run on a newer one; pip takes --platform literally, so a
# manylinux_2_X bundle names every older tag too (and the legacy aliases of 2_17, 2_12 and 2_5).
LEGACY_MANYLINUX = {17: "manylinux2014", 12: "manylinux2010", 5: "manylinux1"}


def this_platform() -> str:
    """This machine, spelt as a wheel's platform tag: win_amd64, macosx_14_0_arm64, linux_x86_64."""
    return re.sub(r"[-.]", "_", sysconfig.get_platform())


def oldest_python() -> tuple[int, int]:
    spec = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    found = re.search(r">=\s*3\.(\d+)", spec["project"]["requires-python"])
    return (3, int(found.group(1))) if found else (3, 11)


def parse_python(text: str) -> tuple[int, int]:
    found = re.fullmatch(r"3\.?(\d{1,2})", text.strip())
    if not found:
        raise SystemExit(f"--python {text!r}: give a version such as 3.11, 3.12 or 3.13")
    version = (3, int(found.group(1)))
    if version < oldest_python():
        raise SystemExit(f"appreciate needs Python {'.'.join(map(str, oldest_python()))} or newer")
    return version


def platform_tags(platform: str) -> list[str]:
    found = re.fullmatch(r"manylinux_2_(\d+)_(\w+)", platform)
    if not found:
        return [platform]
    glibc, arch = int(found.group(1)), found.group(2)
    tags = [f"manylinux_2_{minor}_{arch}" for minor in range(glibc, 4, -1)]
    return tags + [f"{name}_{arch}" for minor, name in LEGACY_MANYLINUX.items() if minor <= glibc]


def target_options(platform: str, version: tuple[int, int]) -> list[str]:
    """pip's options for the wheels of another platform or Python; none for this very machine."""
    options: list[str] = []
    if platform != this_platform():
        for tag in platform_tags(platform):
            options += ["--platform", tag]
    if version != sys.version_info[:2] or options:
        nodot = f"{version[0]}{version[1]}"
        options += ["--python-version", f"{version[0]}.{version[1]}", "--implementation", "cp",
                    "--abi", f"cp{nodot}"]
    return options


def marker_environment(platform: str, version: tuple[int, int]) -> dict[str, str]:
    """The values a requirement's marker is judged by on the laptop the bundle is for."""
    env = dict(default_environment())
    env.update(python_version=f"{version[0]}.{version[1]}",
               python_full_version=f"{version[0]}.{version[1]}.0",
               implementation_name="cpython", platform_python_implementation="CPython")
    if platform == this_platform():
        return env
    arch = re.search(r"(x86_64|aarch64|arm64|universal2|i686|amd64|ppc64le|s390x|armv7l|win32)$",
                     platform)
    machine = arch.group(1) if arch else ""
    if platform.startswith("win"):
        machine = {"amd64": "AMD64", "arm64": "ARM64", "win32": "x86"}.get(machine, machine)
        env.update(sys_platform="win32", platform_system="Windows", os_name="nt")
    elif platform.startswith("macosx"):
        env.update(sys_platform="darwin", platform_system="Darwin", os_name="posix")
    else:
        env.update(sys_platform="linux", platform_system="Linux", os_name="posix")
    env["platform_machine"] = machine
    return env


NO_WHEEL = ("pip could not fetch a wheel for everything (its message above names what): a "
            "dependency with no wheel for this platform and Python cannot go in an offline bundle")


def pip(*args: str, failed: str) -> None:
    done = subprocess.run([sys.executable, "-m", "pip", "--disable-pip-version-check", *args])
    if done.returncode != 0:
        raise SystemExit(failed)


def wheels(folder: Path) -> dict[str, Path]:
    return {canonicalize_name(parse_wheel_filename(p.name)[0]): p for p in folder.glob("*.whl")}


def requirements(wheel: Path) -> list[Requirement]:
    with zipfile.ZipFile(wheel) as archive:
        name = next(n for n in archive.namelist() if re.fullmatch(r"[^/]+\.dist-info/METADATA", n))
        metadata = Parser().parsestr(archive.read(name).decode("utf-8"))
    return [Requirement(line) for line in metadata.get_all("Requires-Dist") or []]


def missing(folder: Path, env: dict[str, str]) -> list[str]:
    """Requirements the target needs that no wheel in the folder provides, following extras."""
    present = wheels(folder)
    wanted_extras: dict[str, set[str]] = {canonicalize_name(PROJECT): {EXTRA}}
    needed: dict[str, Requirement] = {}
    queue = [canonicalize_name(PROJECT)]
    seen: set[tuple[str, frozenset[str]]] = set()
    while queue:
        name = queue.pop()
        extras = frozenset(wanted_extras.get(name, set()))
        if (name, extras) in seen or name not in present:
            continue
        seen.add((name, extras))
        for req in requirements(present[name]):
            if req.marker and not any(
                req.marker.evaluate({**env, "extra": extra}) for extra in ("", *extras)
            ):
                continue
            dep = canonicalize_name(req.name)
            wanted_extras.setdefault(dep, set()).update(req.extras)
            if dep not in present:
                needed[dep] = req
            queue.append(dep)
    for req in needed.values():
        req.marker = None  # judged already, for the target; pip would judge it for this machine
    return [str(req) for req in needed.values()]


def install_text(platform: str, version: tuple[int, int], project_wheel: Path, count: int) -> str:
    dotted = f"{version[0]}.{version[1]}"
    windows = platform.startswith("win")
    python = f"py -{dotted}" if windows else f"python{dotted}"
    python_from = ""
    if windows:
        where = r"%LOCALAPPDATA%\appreciate  (C:\Users\you\AppData\Local\appreciate)"
        python_from = ("\nUse Python from python.org: with the Microsoft Store's Python, Windows "
                       "keeps appreciate's\nfiles inside that app's own folder and removes them "
                       "when it is reset or uninstalled.\n")
    elif platform.startswith("macosx"):
        where = "~/Library/Application Support/appreciate"
    else:
        where = "~/.local/share/appreciate"
    app_version = parse_wheel_filename(project_wheel.name)[1]
    return f"""\
appreciate {app_version}: offline install for {platform}, Python {dotted}

This folder holds every file appreciate needs ({count} wheels, the encryption extra included).
Nothing is downloaded while installing; the laptop needs Python {dotted} already installed.
{python_from}
1. Copy this whole folder onto the laptop and open a terminal in it.

2. Install:

       {python} -m pip install --no-index --find-links . "appreciate-tui[encryption]"

   A managed laptop may refuse to install for everyone; pip then installs for you alone, which is
   all appreciate needs. To update later, do the same from a newer bundle with --upgrade.

3. Run it:

       appreciate demo      loads an example conversation (safe to repeat)
       appreciate           opens the app

   If the terminal does not find `appreciate`, run it through Python instead:

       {python} -m appreciate_tui demo
       {python} -m appreciate_tui

Your conversations stay on this laptop, in one private database under

       {where}

`appreciate locate` prints the exact folders, and the README says more.
"""


def build(platform: str, version: tuple[int, int], out: Path) -> Path:
    if out.exists():
        shutil.rmtree(out)  # a bundle never mixes in wheels of an older build
    out.mkdir(parents=True)
    pip("wheel", "--quiet", "--no-deps", "--wheel-dir", str(out), str(ROOT),
        failed="appreciate's own wheel could not be built (pip's message above says why)")
    project_wheel = wheels(out)[canonicalize_name(PROJECT)]
    options = ["--only-binary=:all:", "--dest", str(out), *target_options(platform, version)]
    pip("download", "--progress-bar", "off", *options, f"{project_wheel}[{EXTRA}]", failed=NO_WHEEL)
    env = marker_environment(platform, version)
    for _ in range(10):  # each round adds what the last one's wheels need; a few at most
        needs = missing(out, env)
        if not needs:
            break
        print(f"Also needed on {platform}: {', '.join(needs)}")
        pip("download", "--progress-bar", "off", *options, *needs, failed=NO_WHEEL)
    else:
        raise SystemExit(f"still missing after ten rounds: {', '.join(missing(out, env))}")
    strays = sorted(p.name for p in out.iterdir() if p.suffix != ".whl")
    if strays:
        raise SystemExit(f"not wheels, which an offline laptop could not install: {strays}")
    count = len(wheels(out))
    (out / "INSTALL.txt").write_text(install_text(platform, version, project_wheel, count),
                                     encoding="utf-8")
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--platform", default=this_platform(),
                        help="a wheel platform tag: win_amd64, macosx_11_0_arm64, "
                             "manylinux_2_28_x86_64 (default: this machine)")
    parser.add_argument("--python", default=f"{sys.version_info[0]}.{sys.version_info[1]}",
                        help="the Python the laptop has, such as 3.11 (default: this one)")
    parser.add_argument("--out", type=Path,
                        help="the folder to fill (default: dist/wheelhouse-PLATFORM-pyVERSION)")
    args = parser.parse_args(argv)
    version = parse_python(args.python)
    out = args.out or ROOT / "dist" / f"wheelhouse-{args.platform}-py{version[0]}.{version[1]}"
    build(args.platform, version, out)
    size = sum(p.stat().st_size for p in out.iterdir()) / 1e6
    print(f"{out}: {len(wheels(out))} wheels, {size:.0f} MB. INSTALL.txt inside says what to do.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
