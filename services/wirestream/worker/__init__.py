"""The stream worker: the Faust app, its agents and table, health, metrics and writing outputs.

`build_app(settings, enrichers)` makes the app from what it is given; `run_worker` is the one way
to run a worker process (the CLI, the tests and the benchmark all come through it).
"""
