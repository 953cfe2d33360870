"""bench/RESULTS.md: each benchmark writes its own section, headed by its first line."""

from pathlib import Path


def write_section(path: Path, section: str) -> None:
    """Replace the section with the same heading (the section's first line), or append it."""
    heading = section.splitlines()[0]
    text = path.read_text() if path.exists() else "# Benchmark results\n"
    if heading in text:
        start = text.index(heading)
        end = text.find("\n## ", start + len(heading))
        text = text[:start] + section + ("\n" + text[end + 1 :] if end != -1 else "")
    else:
        text = text.rstrip("\n") + "\n\n" + section
    path.write_text(text)
