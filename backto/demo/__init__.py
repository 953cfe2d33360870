"""The demo clinic and synthetic data for benchmarks: `backto demo` and `backto synth`. It builds
records through the capabilities; nothing imports it."""
