"""The addons as pip packages, the way OCA ships them: each addon's pyproject.toml builds a
wheel with whool; the wheels install into a fresh Python environment, Odoo finds the addons
there through ``odoo.addons`` (no addons path to this repository) and installs them into a
fresh database."""

import os
import site
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest
import suite

ROOT = suite.ROOT
ADDONS = suite.ADDONS
# Beside the suite's database, so that two checkouts testing at once never share it.
DB = f"{os.environ.get('AFTERSALES_DB', 'aftersales')}_wheels"


def run(*cmd, **kwargs):
    # The fresh environment must not see this repository through the caller's PYTHONPATH.
    env = {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}
    result = subprocess.run(cmd, capture_output=True, text=True, check=False, env=env, **kwargs)
    assert result.returncode == 0, f"{' '.join(map(str, cmd))}\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    return result


@pytest.fixture(scope="module")
def wheels(tmp_path_factory):
    pytest.importorskip("whool", reason="whool (requirements-dev.txt) is not installed")
    out = tmp_path_factory.mktemp("wheels")
    # No build isolation: the whool of requirements-dev.txt builds them, without a download.
    run(
        sys.executable,
        "-m",
        "pip",
        "wheel",
        "--quiet",
        "--no-deps",
        "--no-build-isolation",
        "--wheel-dir",
        str(out),
        *(str(ROOT / addon) for addon in ADDONS),
    )
    return {addon: next(out.glob(f"odoo_addon_{addon}-*.whl")) for addon in ADDONS}


@pytest.fixture(scope="module")
def venv(tmp_path_factory, wheels):
    """A fresh environment seeing the machine's packages (Odoo among them) plus ours."""
    path = tmp_path_factory.mktemp("venv") / "env"
    run(sys.executable, "-m", "venv", "--system-site-packages", str(path))
    python = path / "bin" / "python"
    # When this Python is itself a virtual environment (.venv, where bootstrap may have installed
    # Odoo from ODOO_SRC), its packages are made visible too.
    purelib = run(str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])").stdout.strip()
    outer = dict.fromkeys([sysconfig.get_paths()["purelib"], *site.getsitepackages()])
    (Path(purelib) / "outer_site_packages.pth").write_text("".join(f"{entry}\n" for entry in outer))
    # Odoo and its requirements come from the machine: only our three wheels are installed.
    run(str(python), "-m", "pip", "install", "--quiet", "--no-deps", "--no-index", *map(str, wheels.values()))
    return python, Path(purelib)


def test_each_wheel_holds_its_addon_under_odoo_addons(wheels):
    for addon, wheel in wheels.items():
        names = zipfile.ZipFile(wheel).namelist()
        assert f"odoo/addons/{addon}/__manifest__.py" in names
        assert f"odoo/addons/{addon}/i18n/zh_CN.po" in names
        assert not [name for name in names if "/tests/" in name and name.endswith(".pyc")]
        metadata = next(name for name in names if name.endswith(".dist-info/METADATA"))
        text = zipfile.ZipFile(wheel).read(metadata).decode()
        assert f"Name: odoo-addon-{addon}" in text
        assert "Requires-Dist: odoo==18.0.*" in text
    survey = zipfile.ZipFile(wheels["aftersales_survey"])
    metadata = next(name for name in survey.namelist() if name.endswith(".dist-info/METADATA"))
    assert "Requires-Dist: odoo-addon-aftersales_service==18.0.*" in survey.read(metadata).decode()


def test_wheels_install_and_odoo_installs_the_addons_from_them(venv, tmp_path):
    python, purelib = venv
    import odoo  # noqa: PLC0415 - the machine's Odoo, whose own addons the path names

    odoo_addons = [str(Path(odoo.__file__).resolve().parent / "addons")]
    odoo_root = Path(odoo.__file__).resolve().parent.parent
    if (odoo_root / "addons").is_dir():
        odoo_addons.append(str(odoo_root / "addons"))
    addons_path = ",".join(odoo_addons)
    assert str(ROOT) not in addons_path
    found = run(
        str(python),
        "-c",
        "import sys, odoo.tools.config as c, odoo.modules.module as m; "
        f"c.parse_config(['--addons-path={addons_path}']); "
        "print('\\n'.join(m.get_module_path(a) or '-' for a in sys.argv[1:]))",
        *ADDONS,
        cwd=tmp_path,
    ).stdout.split()
    assert found == [str(purelib / "odoo" / "addons" / addon) for addon in ADDONS]

    suite.drop_db(DB)
    log = tmp_path / "install.log"
    try:
        run(
            str(python),
            "-m",
            "odoo",
            f"--addons-path={addons_path}",
            f"--data-dir={tmp_path / 'data'}",
            f"--db_host={suite.PG['host']}",
            f"--db_port={suite.PG['port']}",
            f"--db_user={suite.PG['user']}",
            "-d",
            DB,
            "-i",
            ",".join(ADDONS),
            # Demo data is the suite's own install; this one proves the packaging.
            "--without-demo=all",
            "--stop-after-init",
            "--http-port",
            str(suite.free_port()),
            "--logfile",
            str(log),
            cwd=tmp_path,
        )
        text = log.read_text(errors="replace")
        assert not suite.bad_log_lines(text), suite.bad_log_lines(text)[:5]
        import psycopg2  # noqa: PLC0415 - only importable after bootstrap

        with psycopg2.connect(dbname=DB, **suite.PG) as conn, conn.cursor() as cr:
            cr.execute("SELECT name, state FROM ir_module_module WHERE name IN %s", (ADDONS,))
            assert dict(cr.fetchall()) == dict.fromkeys(ADDONS, "installed")
    finally:
        suite.drop_db(DB)
