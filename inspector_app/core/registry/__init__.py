"""The office desk's registry of units and their officials: finding units, editing officials,
and importing the lists offices keep in Excel (Qt-free, like the rest of core)."""
