"""`make bench`: run every bench/bench_*.py scenario in turn; each prints its own figures."""

import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main():
    scenarios = sorted(HERE.glob("bench_*.py"))
    failed = []
    for script in scenarios:
        print(f"== {script.stem}", flush=True)
        started = time.monotonic()
        code = subprocess.call([sys.executable, str(script)], cwd=HERE.parent)
        print(f"   ({time.monotonic() - started:.1f} s)", flush=True)
        if code:
            failed.append(script.name)
    if failed:
        sys.exit(f"failed: {', '.join(failed)}")


if __name__ == "__main__":
    main()
