"""The store: canonical tables, migrations, the load registry and the engine adapter.

Nothing here imports any other cscperf stage; every stage above talks to the next through these
tables.
"""

from cscperf.store.engine import Engine, open_engine

__all__ = ["Engine", "open_engine"]
