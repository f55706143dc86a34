"""The command line: one small module per command; options -> core -> render."""


def main() -> None:
    """The console script `sozialraum`.

    A run is one short process: the cyclic garbage collector's full passes over the ~10^6 objects that the
    imports (pandas above all) leave behind cost ~30 ms and find nothing. Young objects are still collected
    (threshold 700), older generations only after 1.000 passes of the younger one; memory is freed by
    reference counting as always. The library itself (import sozialraum_cli) leaves the collector alone.
    """
    import gc

    gc.set_threshold(700, 1000, 1000)
    from .app import main as run

    run()
