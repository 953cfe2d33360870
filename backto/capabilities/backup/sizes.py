"""Sizes in words, for the commands and the first-run checklist."""


def size_in_words(size: int) -> str:
    """1234567 -> "1.2 MB" (powers of 1000, as disk makers and `df -H` count)."""
    amount = float(size)
    for unit in ("bytes", "kB", "MB", "GB", "TB"):
        if amount < 1000 or unit == "TB":
            return f"{int(amount)} bytes" if unit == "bytes" else f"{amount:.1f} {unit}"
        amount /= 1000
    raise AssertionError("unreachable")
