"""bench/RESULTS.md: each benchmark rewrites its own section and leaves the others as they were."""

from bench.results import write_section


def test_a_section_is_replaced_in_place_and_the_others_are_kept(tmp_path):
    results = tmp_path / "RESULTS.md"
    write_section(results, "## One\n\nfirst\n")
    write_section(results, "## Two\n\nsecond\n")
    results.write_text(results.read_text() + "\n## Kept by hand\n\nhistory\n")
    write_section(results, "## One\n\nagain\n")
    assert results.read_text() == (
        "# Benchmark results\n\n## One\n\nagain\n\n## Two\n\nsecond\n\n## Kept by hand\n\nhistory\n"
    )
