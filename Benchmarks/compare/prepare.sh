# Sourced by run.sh and gemm.sh: the virtual environment (setup.sh) and a release build of
# fathom-bench. Sets `here`, `root`, `python` and `bench`; honours SCRATCH (the build folder,
# default .build). Progress goes to standard error.
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
scratch="${SCRATCH:-.build}"
"$here/setup.sh" >&2
python="$here/.venv/bin/python"
(cd "$root" && swift build -c release --scratch-path "$scratch" --product fathom-bench >&2)
bench="$(cd "$root" && swift build -c release --scratch-path "$scratch" --show-bin-path)/fathom-bench"
