"""The project's own tooling, importable: the runtime builder, the benchmark, the static server
and site-build helpers the tests share. Run through the thin entry points in scripts/; never
shipped (the engine's wheel holds engine/prodready only) and never imported by the engine."""
