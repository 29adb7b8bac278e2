"""The sample generator behind ``tools/make_sample.py`` (サンプル・架空).

Where to look:

* ``operations/<code>.py`` (``-`` spelt ``_``): everything one operation's
  sample says: its fictional requirement table, the town's vendor and product,
  how far the mapping is from the standard (``Profile``) and the town's own
  custom items.  ``operations/__init__.py`` lists them in registry order.
* ``model.py``: the dataclasses those modules fill in.
* ``tables.py``: how a requirement table line is read.
* ``plan.py``: the seeded plan of a target state (fit, partial, gap, ...) per
  requirement; ``items.py``: the current items and links built from it.
* ``yaml_text.py``: YAML quoting and file writing.
"""
