"""Installation without ODOO_SRC: the bootstrap fetches Odoo 18.0's source itself (Odoo's
nightly archive, else a shallow clone of the 18.0 branch), and without internet stops with a
message naming ODOO_SRC. The official addresses are replaced by a local HTTP server and a local
git repository serving a tiny stand-in for Odoo; nothing is installed into this machine."""

import functools
import http.server
import os
import socket
import subprocess
import sys
import tarfile
import threading
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FETCH = ROOT / "scripts" / "fetch_odoo.sh"


def closed_port():
    """A local port nobody listens on: connections are refused at once, as offline."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def fake_odoo(tmp_path_factory):
    """A source tree shaped like Odoo's: setup.py, requirements.txt and an importable odoo/."""
    tree = tmp_path_factory.mktemp("src") / "odoo-18.0.post20261201"
    (tree / "odoo").mkdir(parents=True)
    (tree / "setup.py").write_text("from setuptools import setup\nsetup(name='odoo', version='18.0')\n")
    (tree / "requirements.txt").write_text("")
    (tree / "odoo" / "__init__.py").write_text("from . import release\n")
    (tree / "odoo" / "release.py").write_text("version_info = (18, 0, 0, 'final', 0, '')\n")
    return tree


@pytest.fixture(scope="module")
def nightly(tmp_path_factory, fake_odoo):
    """The nightly archive's URL on a local HTTP server."""
    served = tmp_path_factory.mktemp("nightly")
    with tarfile.open(served / "odoo_18.0.latest.tar.gz", "w:gz") as archive:
        archive.add(fake_odoo, arcname=fake_odoo.name)
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(served))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/odoo_18.0.latest.tar.gz"
    server.shutdown()


@pytest.fixture(scope="module")
def git_repo(tmp_path_factory, fake_odoo):
    """A repository with an 18.0 branch holding the stand-in, as github.com/odoo/odoo has."""
    repo = tmp_path_factory.mktemp("git") / "odoo"
    env = dict(
        os.environ, GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@t", GIT_COMMITTER_NAME="t", GIT_COMMITTER_EMAIL="t@t"
    )
    subprocess.run(["cp", "-r", str(fake_odoo), str(repo)], check=True)
    for cmd in (["init", "-q", "-b", "18.0"], ["add", "-A"], ["commit", "-q", "-m", "18.0"]):
        subprocess.run(["git", *cmd], cwd=repo, env=env, check=True)
    return repo.as_uri()


def fetch(dest, *args, url, git):
    env = dict(os.environ, AFTERSALES_ODOO_URL=url, AFTERSALES_ODOO_GIT=git, AFTERSALES_FETCH_TIMEOUT="3")
    return subprocess.run(
        ["bash", str(FETCH), str(dest), *args], env=env, capture_output=True, text=True, timeout=120, check=False
    )


def odoo_version(tree):
    """Imports the fetched tree's odoo (not the machine's) and reads its major version."""
    result = subprocess.run(
        [sys.executable, "-c", "import odoo; print(odoo.__file__, odoo.release.version_info[0])"],
        cwd=tree,
        env=dict(os.environ, PYTHONPATH=str(tree)),
        capture_output=True,
        text=True,
        check=True,
    )
    path, major = result.stdout.split()
    assert Path(path).is_relative_to(tree)
    return int(major)


def test_without_odoo_src_the_nightly_archive_is_fetched(tmp_path, nightly):
    offline_git = f"http://127.0.0.1:{closed_port()}/odoo.git"
    result = fetch(tmp_path / "cache", url=nightly, git=offline_git)
    assert result.returncode == 0, result.stderr
    tree = Path(result.stdout.strip())
    assert tree.is_relative_to(tmp_path / "cache") and tree.name == "odoo-18.0.post20261201"
    assert odoo_version(tree) == 18
    assert "cloning" not in result.stderr


def test_without_the_archive_the_18_branch_is_cloned(tmp_path, git_repo):
    offline_url = f"http://127.0.0.1:{closed_port()}/odoo_18.0.latest.tar.gz"
    result = fetch(tmp_path / "cache", url=offline_url, git=git_repo)
    assert result.returncode == 0, result.stderr
    assert "cannot download" in result.stderr
    assert odoo_version(Path(result.stdout.strip())) == 18


def test_odoo_src_still_takes_a_folder_an_archive_or_its_url(tmp_path, fake_odoo, nightly):
    offline = f"http://127.0.0.1:{closed_port()}/x"
    for source in (str(fake_odoo), nightly):
        result = fetch(tmp_path / "cache", source, url=offline, git=offline)
        assert result.returncode == 0, result.stderr
        assert odoo_version(Path(result.stdout.strip())) == 18
    result = fetch(tmp_path / "cache", str(tmp_path / "nothing-here"), url=nightly, git=offline)
    assert result.returncode != 0, "an ODOO_SRC without Odoo is refused, not replaced by a download"


def test_offline_the_bootstrap_stops_and_names_odoo_src(tmp_path):
    # A Python environment that cannot import Odoo, as on a machine without it.
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    offline = f"http://127.0.0.1:{closed_port()}"
    env = {key: value for key, value in os.environ.items() if key not in ("ODOO_SRC", "PYTHONPATH")}
    env.update(
        AFTERSALES_VENV=str(venv),
        AFTERSALES_BOOTSTRAP_STEPS="make_venv ensure_odoo",
        AFTERSALES_ODOO_URL=f"{offline}/odoo_18.0.latest.tar.gz",
        AFTERSALES_ODOO_GIT=f"{offline}/odoo.git",
        AFTERSALES_FETCH_TIMEOUT="3",
    )
    result = subprocess.run(
        ["bash", "-c", f"source {ROOT / 'scripts' / 'bootstrap.sh'}"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode != 0
    assert "ODOO_SRC is not set" in result.stderr, result.stderr
    assert "ODOO_SRC=" in result.stderr and "could not be fetched" in result.stderr, result.stderr
    assert "installing Odoo" not in result.stderr
