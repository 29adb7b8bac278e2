"""The sample generator behind ``tools/make_sample.py`` (サンプル・架空).

Where to look:

* ``operations/<code>.py`` (``-`` spelt ``_``): everything one operation's
  sample says: its fictional requirement table, the town's system, vendor
  and product, how far the mapping is from the standard (``Profile``) and the
  town's own custom items.  ``juki.py`` (catalogue derived from the 第1.0版
  CSV) and ``kaigo.py`` (two versions) also hold their special catalogues.
  ``operations/__init__.py`` lists them in registry order.
* ``model.py``: the dataclasses those modules fill in.
* ``tables.py``: how a requirement table line is read.
* ``plan.py``: the seeded plan of a target state (fit, partial, gap, ...) per
  requirement; ``items.py``: the current items and links built from it.
* ``catalogue.py``, ``mapping.py``, ``inventory.py``: the lines of the three
  kinds of file; ``yaml_text.py``: YAML quoting and writing.
* ``build.py``: renders every file and writes them.

Changing an operation's table or profile changes its seeded plan, so its
mapping and the inventory change too; the other operations do not.
"""
