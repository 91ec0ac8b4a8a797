"""Runs that cannot harm each other, faults of the machine, YAML that cannot blow up, years without data.

Each case goes through the real command line (``python -m outcomes.cli`` in a
subprocess, or :func:`outcomes.cli.main` in this process where a fault has to
be injected) on a private copy of the project, and checks the exit code and
the message a user reads: exit 2 and a sentence naming the path for a fault of
the environment, never "internal error ... please report it" (exit 3) or a
traceback.
"""

from __future__ import annotations

import errno
import json
import os
import resource
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from outcomes.cli import main
from tests.conftest import make_project

PROGRAMME = "unginvest-demo"
#: Address space allowed to a command under test: a YAML bomb must be refused long before this.
MEMORY_LIMIT = 2 * 1024**3
NOBODY = 65534


def run_cli(
    root: Path, *args: str, timeout: float = 300, as_user: bool = False, memory_limit: int | None = None
) -> subprocess.CompletedProcess[str]:
    """``outcomes ARGS`` in a subprocess on the project at ``root``.

    ``as_user`` runs it as an unprivileged user when the tests run as root (file
    permissions do not stop root); ``memory_limit`` caps its address space.
    """
    env = {**os.environ, "OUTCOMES_ROOT": str(root), "HOME": str(root / "home")}
    command = [sys.executable, "-m", "outcomes.cli", *args]
    if as_user and os.geteuid() == 0:
        command = ["setpriv", f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups", "--", *command]

    def limit() -> None:
        if memory_limit is not None:
            resource.setrlimit(resource.RLIMIT_AS, (memory_limit, memory_limit))

    return subprocess.run(command, env=env, capture_output=True, text=True, timeout=timeout, preexec_fn=limit)


def assert_clear_exit_2(run: subprocess.CompletedProcess[str], *words: str) -> None:
    """Exit 2 with one readable message holding ``words``: no traceback, no "internal error"."""
    assert run.returncode == 2, (run.returncode, run.stderr)
    assert "Traceback" not in run.stderr and "internal error" not in run.stderr, run.stderr
    for word in words:
        assert word in run.stderr, (word, run.stderr)


def bundle_is_complete(bundle: Path) -> None:
    for name in (
        "index.html",
        "followup.html",
        "methods.html",
        "summary.json",
        "assets/plotly.min.js",
        "downloads/followup_rates.csv",
    ):
        assert (bundle / name).is_file(), name
    assert json.loads((bundle / "summary.json").read_text(encoding="utf-8"))["report_year"] == int(bundle.name)


def leftovers(parent: Path) -> list[str]:
    return (
        sorted(p.name for p in parent.glob(".*") if ".build-" in p.name or ".old-" in p.name) if parent.exists() else []
    )


# ------------------------------------------------------------------- YAML limits

BOMB = """\
a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]
b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]
c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]
d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]
e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]
f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]
g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f]
h: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g]
i: &i [*h, *h, *h, *h, *h, *h, *h, *h, *h]
"""


def bomb(path: Path, head: str, tail: str) -> Path:
    """A "billion laughs" file: ``head``, the nine nested anchors from line ``head``'s length + 1, then ``tail``."""
    path.write_text(head + BOMB + tail, encoding="utf-8")
    return path


class TestYamlLimits:
    """An alias bomb in a registry used to grow to 24 GB (line numbers were looked up through the aliases)."""

    def test_alias_bomb_in_assumption_registry(self, project: Path) -> None:
        file = bomb(project / "config" / "assumptions" / "bomb.yml", "programme: demo\n", "assumptions: *i\n")
        started = time.monotonic()
        run = run_cli(
            project, "cba", "--set", f"costbenefit.assumptions={file}", timeout=120, memory_limit=MEMORY_LIMIT
        )
        assert_clear_exit_2(run, "bomb.yml", "line 2", "anchor &a")
        assert time.monotonic() - started < 60

    def test_alias_bomb_in_status_map(self, project: Path) -> None:
        text = (project / "config" / "status_map.yml").read_text(encoding="utf-8")
        file = bomb(project / "config" / "bomb_map.yml", "", text)
        run = run_cli(
            project, "followup", "--status-map", "config/bomb_map.yml", timeout=120, memory_limit=MEMORY_LIMIT
        )
        assert_clear_exit_2(run, "config/bomb_map.yml", "line 1", "anchor &a")
        assert file.is_file()

    def test_alias_bomb_in_run_configuration(self, project: Path) -> None:
        text = (project / "config" / "report.yml").read_text(encoding="utf-8")
        bomb(
            project / "config" / "bomb.yml",
            "",
            text.replace("sections: [followup, participants, baseline, costbenefit]", "sections: *i"),
        )
        run = run_cli(project, "followup", "--config", "config/bomb.yml", timeout=120, memory_limit=MEMORY_LIMIT)
        assert_clear_exit_2(run, "config/bomb.yml", "line 1", "anchor &a", "without anchors or aliases")

    def test_alias_alone_is_refused_with_its_line(self, project: Path) -> None:
        cfg = project / "config" / "report.yml"
        cfg.write_text(cfg.read_text(encoding="utf-8") + "x: *undefined\n", encoding="utf-8")
        run = run_cli(project, "followup", timeout=120)
        assert_clear_exit_2(run, "config/report.yml", "the alias *undefined is not allowed")

    def test_deep_nesting_is_refused(self, project: Path) -> None:
        cfg = project / "config" / "report.yml"
        cfg.write_text(cfg.read_text(encoding="utf-8") + "deep: " + "[" * 5000 + "]" * 5000 + "\n", encoding="utf-8")
        run = run_cli(project, "followup", timeout=120, memory_limit=MEMORY_LIMIT)
        assert_clear_exit_2(run, "config/report.yml", "nested more than 50 levels")

    def test_large_file_is_refused_before_reading(self, project: Path) -> None:
        registry = project / "config" / "assumptions" / "huge.yml"
        registry.write_text("programme: demo\n" + "# padding\n" * 300_000, encoding="utf-8")
        run = run_cli(project, "cba", "--set", f"costbenefit.assumptions={registry}", timeout=120)
        assert_clear_exit_2(run, "huge.yml", "MB", "at most 2 MB")

    def test_anchors_in_a_value_on_the_command_line_are_text(self, project: Path) -> None:
        # YAML would read "&Co" as an anchor on an empty value (null): a title is taken as written.
        run = run_cli(project, "followup", "--set", "programme.title=&Co", timeout=120)
        assert run.returncode == 0, run.stderr
        assert "&Co, 2020" in run.stdout


# ------------------------------------------------------------- runs at once


class TestLock:
    def test_second_holder_is_refused_after_a_short_wait(self, tmp_path: Path) -> None:
        from outcomes.report.publish import RunInProgressError, bundle_lock

        target = tmp_path / "reports" / "demo" / "2020"
        with bundle_lock(target) as lock:
            assert lock.name == ".2020.lock" and lock.read_text().strip() == str(os.getpid())
            started = time.monotonic()
            with pytest.raises(RunInProgressError, match=r"another run \(process \d+\) is writing .*2020; try again"):
                with bundle_lock(target, wait=0.3):
                    pass
            assert 0.3 <= time.monotonic() - started < 3
            with bundle_lock(target.parent / "2019", wait=0):  # another year is another lock
                pass
        with bundle_lock(target, wait=0):  # released when the block ends
            pass
        assert not any(target.parent.glob(".*.lock"))  # and nothing is left beside the bundles

    def test_a_run_waiting_on_a_removed_lock_file_locks_the_new_one(self, tmp_path: Path) -> None:
        """A run that waited on the file the holder removed must not hold it alongside a run on the new file."""
        import fcntl
        import threading

        from outcomes.report.publish import RunInProgressError, bundle_lock

        target = tmp_path / "reports" / "demo" / "2020"
        held = threading.Event()
        release = threading.Event()
        outcome: list[str] = []

        def waiter() -> None:
            with bundle_lock(target, wait=10):
                outcome.append("locked")
                held.set()
                release.wait(10)

        with bundle_lock(target) as lock:
            thread = threading.Thread(target=waiter)
            thread.start()
            time.sleep(0.3)  # the waiter has opened the file and waits on it
        assert held.wait(10), "the waiting run never got the lock"
        fd = os.open(lock, os.O_RDWR)  # the file at the path now is the one the waiting run holds
        try:
            with pytest.raises(BlockingIOError):
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        finally:
            os.close(fd)
        with pytest.raises(RunInProgressError):
            with bundle_lock(target, wait=0.2):
                pass
        release.set()
        thread.join(10)
        assert outcome == ["locked"] and not lock.exists()

    def test_clean_up_spares_builds_of_live_runs(self, tmp_path: Path) -> None:
        from outcomes.report.publish import clean_stale_builds

        parent = tmp_path / "reports" / "demo"
        alive = subprocess.Popen(["sleep", "60"])
        try:
            dead = subprocess.Popen(["true"])
            dead.wait()
            (parent / f".2019.build-{alive.pid}").mkdir(parents=True)
            (parent / f".2018.build-{dead.pid}").mkdir()
            (parent / f".2020.build-{alive.pid}").mkdir()  # the locked year: stale whatever its number
            clean_stale_builds(parent, locked="2020")
            assert leftovers(parent) == [f".2019.build-{alive.pid}"]
        finally:
            alive.kill()
            alive.wait()

    def test_run_refused_while_another_holds_the_folder(self, project: Path) -> None:
        from outcomes.report.publish import bundle_lock

        with bundle_lock(project / "reports" / PROGRAMME / "2020"):
            started = time.monotonic()
            run = run_cli(project, "report", "--set", "sections=[followup]", timeout=120)
        assert_clear_exit_2(
            run,
            f"another run (process {os.getpid()}) is writing reports/{PROGRAMME}/2020; try again when it has finished",
        )
        assert "Checking inputs" not in run.stderr and time.monotonic() - started < 30
        assert leftovers(project / "reports" / PROGRAMME) == []

    def test_two_runs_at_once(self, project: Path) -> None:
        """Three runs at once: the first finishes; a second for the same year finishes after it or says another
        run is writing; one for another year finishes too and leaves the first's build alone."""
        env = {**os.environ, "OUTCOMES_ROOT": str(project)}
        report = [sys.executable, "-m", "outcomes.cli", "report", "--set", "sections=[followup]"]
        parent = project / "reports" / PROGRAMME
        first = subprocess.Popen(report, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        runs = [first]
        try:
            deadline = time.monotonic() + 120
            while time.monotonic() < deadline and not (parent / f".2020.build-{first.pid}").exists():
                assert first.poll() is None, first.communicate()
                time.sleep(0.05)
            assert (parent / f".2020.build-{first.pid}").exists(), "the first run never started building"
            same = subprocess.Popen(report, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            runs.append(same)
            other = subprocess.Popen(
                [*report, "--year", "2018"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
            )
            runs.append(other)
            _, first_err = first.communicate(timeout=300)
            _, same_err = same.communicate(timeout=300)
            _, other_err = other.communicate(timeout=300)
        finally:
            for proc in runs:
                if proc.poll() is None:
                    proc.kill()
        assert first.returncode == 0, first_err
        assert other.returncode == 0, other_err
        assert same.returncode == 0 or (
            same.returncode == 2
            and f"another run (process {first.pid}) is writing reports/{PROGRAMME}/2020" in same_err
        ), same_err
        bundle_is_complete(parent / "2020")
        bundle_is_complete(parent / "2018")
        assert leftovers(parent) == []


class TestSigterm:
    def test_handler_raises_and_respects_ignored_signals(self) -> None:
        from outcomes.report.publish import RunInterrupted, stop_cleanly_on_signals

        old_hup = signal.signal(signal.SIGHUP, signal.SIG_IGN)  # as under nohup
        try:
            with pytest.raises(RunInterrupted) as info, stop_cleanly_on_signals():
                assert signal.getsignal(signal.SIGHUP) is signal.SIG_IGN
                os.kill(os.getpid(), signal.SIGTERM)
                time.sleep(5)  # the handler raises before this ends
            assert info.value.signum == signal.SIGTERM and isinstance(info.value, KeyboardInterrupt)
            assert signal.getsignal(signal.SIGTERM) is signal.SIG_DFL
        finally:
            signal.signal(signal.SIGHUP, old_hup)

    def test_sigterm_cleans_up_and_says_so(self, project: Path) -> None:
        env = {**os.environ, "OUTCOMES_ROOT": str(project)}
        parent = project / "reports" / PROGRAMME
        proc = subprocess.Popen(
            [sys.executable, "-m", "outcomes.cli", "report", "--set", "sections=[followup, costbenefit]"],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            deadline = time.monotonic() + 120
            while time.monotonic() < deadline and not leftovers(parent):
                time.sleep(0.05)
            assert leftovers(parent), "the run never started building"
            time.sleep(1.0)  # the kernels are running the notebooks
            proc.send_signal(signal.SIGTERM)  # the command alone, as `kill PID` does
            started = time.monotonic()
            _, err = proc.communicate(timeout=60)
        finally:
            if proc.poll() is None:
                proc.kill()
        assert time.monotonic() - started < 20
        assert proc.returncode == 128 + signal.SIGTERM, err
        assert "interrupted (SIGTERM); nothing was published" in err
        assert "Traceback" not in err
        assert leftovers(parent) == [] and not (parent / "2020").exists()


# --------------------------------------------------------- environment faults


@pytest.fixture
def shared_project() -> Iterator[Path]:
    """A project copy an unprivileged user can reach (tmp_path is private to root), removed afterwards."""
    if os.geteuid() == 0 and shutil.which("setpriv") is None:
        pytest.skip("running as root without setpriv: file permissions cannot be tested")
    if os.geteuid() == 0:
        reach = subprocess.run(
            [
                "setpriv",
                f"--reuid={NOBODY}",
                f"--regid={NOBODY}",
                "--clear-groups",
                "--",
                sys.executable,
                "-c",
                "import outcomes.cli",
            ],
            capture_output=True,
            timeout=60,
        )
        if reach.returncode != 0:
            pytest.skip(
                "the checkout or its .venv lies in a folder only root can enter: an unprivileged user "
                "cannot run the command, so file permissions cannot be tested here"
            )
    base = Path(tempfile.mkdtemp(prefix="outcomes-faults-"))
    try:
        root = make_project(base / "project")
        (root / "home").mkdir()
        for folder in [base, *(p for p in base.rglob("*") if p.is_dir())]:
            folder.chmod(0o777)
        for file in (p for p in base.rglob("*") if p.is_file()):
            file.chmod(0o666)
        yield root
    finally:
        for folder in [base, *(p for p in base.rglob("*") if p.is_dir())]:
            folder.chmod(stat.S_IRWXU)
        shutil.rmtree(base, ignore_errors=True)


def _mount_tmpfs(folder: Path, options: str) -> bool:
    """Mount a tmpfs on ``folder`` (only root with the right to mount can); whether it worked."""
    if os.geteuid() != 0 or shutil.which("mount") is None:
        return False
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(folder)], capture_output=True)
    return done.returncode == 0


class TestEnvironmentFaults:
    def test_unreadable_input(self, shared_project: Path) -> None:
        (shared_project / "data" / "raw" / "demo" / "followup.csv").chmod(0)
        run = run_cli(shared_project, "followup", as_user=True, timeout=120)
        assert_clear_exit_2(run, "followup.csv")

    def test_read_only_processed_folder(self, shared_project: Path) -> None:
        (shared_project / "data" / "processed").chmod(0o555)
        run = run_cli(shared_project, "followup", as_user=True, timeout=120)
        assert_clear_exit_2(run, "data/processed", "permission denied (EACCES)")

    def test_read_only_reports_folder(self, shared_project: Path) -> None:
        (shared_project / "reports").chmod(0o555)
        run = run_cli(shared_project, "report", "--set", "sections=[followup]", as_user=True, timeout=120)
        assert_clear_exit_2(run, f"reports/{PROGRAMME}", "permission denied (EACCES)")

    def test_read_only_file_system(self, project: Path) -> None:
        processed = project / "data" / "processed"
        if not _mount_tmpfs(processed, "ro,size=1m"):
            pytest.skip("cannot mount a read-only file system here (needs root with CAP_SYS_ADMIN)")
        try:
            run = run_cli(project, "followup", timeout=120)
        finally:
            subprocess.run(["umount", str(processed)], check=True)
        assert_clear_exit_2(run, "data/processed", "read-only (EROFS)")

    def test_disk_full_while_building(self, project: Path) -> None:
        reports = project / "reports"
        if not _mount_tmpfs(reports, "size=1m"):  # plotly.js alone is 4.6 MB
            pytest.skip("cannot mount a small file system here (needs root with CAP_SYS_ADMIN)")
        try:
            run = run_cli(project, "report", "--set", "sections=[followup]", timeout=300)
            left = leftovers(reports / PROGRAMME)
        finally:
            subprocess.run(["umount", str(reports)], check=True)
        assert_clear_exit_2(run, "no space left on the device (ENOSPC)")
        assert left == []

    @pytest.mark.parametrize(
        ("code", "words"),
        [
            (errno.ENOSPC, "no space left on the device (ENOSPC)"),
            (errno.EROFS, "the file system is read-only (EROFS)"),
            (errno.EACCES, "permission denied (EACCES)"),
        ],
    )
    def test_faults_without_a_file_name_name_the_project(
        self, project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], code: int, words: str
    ) -> None:
        import outcomes.report.runner

        def fail(*args: object, **kwargs: object) -> None:
            raise OSError(code, os.strerror(code))  # as a failed write reports it: no file name

        monkeypatch.setattr(outcomes.report.runner, "check_inputs", fail)
        assert main(["report"]) == 2
        err = capsys.readouterr().err
        assert words in err and str(project) in err and "internal error" not in err

    def test_programme_name_too_long(self, project: Path) -> None:
        slug = "a" * 300
        for command in (["report"], ["followup"]):
            run = run_cli(project, *command, "--programme", slug, timeout=120)
            assert_clear_exit_2(run, slug[:50], "a file name is too long (ENAMETOOLONG)", "shorter programme slug")

    def test_unknown_input_kind(self, project: Path) -> None:
        run = run_cli(
            project, "validate", "--kind", "foo", str(project / "data" / "raw" / "demo" / "followup.csv"), timeout=120
        )
        assert_clear_exit_2(
            run, "unknown input kind 'foo'", "costs, followup, followup_counts, profile, profile_counts, survey"
        )


# ------------------------------------------------------------ years and history


class TestReportYears:
    @pytest.mark.parametrize(
        ("args", "words"),
        [
            (
                ["--year", "2021"],
                "no follow-up records for the report year 2021; the file has follow-up years 2011\u20132020",
            ),
            (
                ["--year", "2030", "--first-year", "2025"],
                "no follow-up records for the years 2025\u20132030; the file has follow-up years 2011\u20132020",
            ),
        ],
    )
    def test_year_without_records_is_refused_before_any_notebook(
        self, project: Path, args: list[str], words: str
    ) -> None:
        run = run_cli(project, "report", *args, timeout=120)
        assert_clear_exit_2(run, "data/raw/demo/followup.csv", words, "--year 2020")
        assert "Running" not in run.stderr  # no notebook was started
        assert leftovers(project / "reports" / PROGRAMME) == []
        assert not any((project / "reports" / PROGRAMME).glob("20*"))


class TestPreviousSummary:
    """Last year's summary.json of another version or damaged: this year's report says it could not compare."""

    @pytest.mark.parametrize(
        ("content", "words"),
        [
            (
                '{"schema": "outcomes-summary/0", "followup": "old", "report_year": 2019}',
                "er skrevet i et annet format (outcomes-summary/0; denne versjonen leser outcomes-summary/1, outcomes-summary/2)",
            ),
            (
                '{"schema": "outcomes-summary/1", "report_year": 2019, "followup": {"headline": [1, 2]}, '
                '"costbenefit": {"assumptions": [{"value": 1}]}}',
                "er skadet (uventet innhold i followup.headline)",
            ),
        ],
    )
    def test_report_goes_on_and_says_why(self, project: Path, content: str, words: str) -> None:
        last = project / "reports" / PROGRAMME / "2019"
        last.mkdir(parents=True)
        (last / "summary.json").write_text(content, encoding="utf-8")
        run = run_cli(project, "report", "--set", "sections=[followup]", timeout=300)
        assert run.returncode == 0, run.stderr
        methods = (project / "reports" / PROGRAMME / "2020" / "methods.html").read_text(encoding="utf-8")
        assert "Fjorårets rapport kunne ikke sammenlignes med: 2019/summary.json " + words in methods

    @pytest.mark.parametrize(
        ("content", "problem", "details"),
        [
            ("[]", "damaged_top", {"found": "a list"}),
            ('{"trunc', "not_json", {"line": 1}),
            ('{"report_year": 2019}', "other_schema", {"found": "\u2013"}),
            ('{"schema": "outcomes-summary/1", "report_year": true}', "damaged", {"part": "report_year"}),
            (
                '{"schema": "outcomes-summary/1", "costbenefit": {"headline": {"bcr": "high"}}}',
                "damaged",
                {"part": "costbenefit.headline.bcr", "found": "text"},
            ),
            (
                '{"schema": "outcomes-summary/1", "costbenefit": {"assumptions": [{"id": "a"}, {"id": 3}]}}',
                "damaged",
                {"part": "costbenefit.assumptions.1.id"},
            ),
            (
                '{"schema": "outcomes-summary/1", "followup": {"headline": {"groups": {"education": {"share": "x"}}}}}',
                "damaged",
                {"part": "followup.headline.groups.education.share"},
            ),
            ("[" * 100_000, "not_json", {}),
        ],
    )
    def test_reader(self, tmp_path: Path, content: str, problem: str, details: dict) -> None:
        from outcomes.core.i18n import Translator
        from outcomes.inputs.last_year import read_previous_summary

        file = tmp_path / "summary.json"
        file.write_text(content, encoding="utf-8")
        last = read_previous_summary(file)
        assert last is not None and not last.usable and last.problem == problem
        assert details.items() <= dict(last.details).items()
        for lang in ("nb", "en"):
            assert "summary.json" in Translator(lang)(
                f"methods.previous_{problem}", file="2019/summary.json", **last.details
            )

    def test_reader_accepts_a_real_summary_and_no_file(self, tmp_path: Path) -> None:
        from outcomes.inputs.last_year import read_previous_summary

        assert read_previous_summary(tmp_path / "none.json") is None
        file = tmp_path / "summary.json"
        file.write_text(
            json.dumps(
                {
                    "schema": "outcomes-summary/1",
                    "report_year": 2019,
                    "followup": {"headline": {"year": 2019, "groups": {"education": {"share": 0.5}}}},
                    "costbenefit": {"headline": {"bcr": 2.5}, "assumptions": [{"id": "attribution", "value": 0.3}]},
                }
            ),
            encoding="utf-8",
        )
        last = read_previous_summary(file)
        assert last is not None and last.usable and last.data["report_year"] == 2019
